package io.yaptide.store.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar of a backup ({@code FILE.manifest.json}): what was backed up, at which revision, and
 * the row count of every table as verified in the written file. Restore checks against it.
 */
public record BackupManifest(
        @JsonProperty("format") BackupFormat format,
        @JsonProperty("dbms") String dbms,
        @JsonProperty("database") String database,
        @JsonProperty("revision") String revision,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("rows") Map<String, Long> rows,
        @JsonProperty("verified") boolean verified) {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BackupManifest {
        rows = rows == null ? Map.of() : new LinkedHashMap<>(rows);
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    public static Path sidecarOf(Path backup) {
        return backup.resolveSibling(backup.getFileName() + ".manifest.json");
    }

    public void writeFor(Path backup) {
        try {
            MAPPER.writeValue(sidecarOf(backup).toFile(), this);
        } catch (IOException e) {
            throw new OpsException("cannot write " + sidecarOf(backup) + ": " + e.getMessage(), e);
        }
    }

    public static Optional<BackupManifest> readFor(Path backup) {
        Path sidecar = sidecarOf(backup);
        if (!Files.isRegularFile(sidecar)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(sidecar.toFile(), BackupManifest.class));
        } catch (IOException e) {
            throw new OpsException("the manifest " + sidecar + " is unreadable: " + e.getMessage(), e);
        }
    }
}
