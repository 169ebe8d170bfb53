package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container's HEALTHCHECK as Docker would run it (no Docker engine here: the command itself,
 * with bash, against the real service): healthy when ready, unhealthy when the schema is behind.
 */
class DeployHealthcheckTest {
    private static final Path DOCKERFILE = Path.of("deploy", "Dockerfile");
    private static final Path COMPOSE = Path.of("deploy", "docker-compose.yml");

    @Test
    void theDockerHealthcheckPassesWhenReadyAndFailsWhenNot() throws Exception {
        List<String> command = healthcheck();
        assertThat(command).first().isEqualTo("bash");
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE)) {
            try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
                assertThat(run(command, server.server.port())).as("healthy").isZero();
            }
            new Migrator(db.url()).downgrade(Migrator.revisions().get(0).id());
            try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
                assertThat(run(command, server.server.port())).as("unhealthy while the schema is behind").isNotZero();
            }
        }
    }

    @Test
    void composeChecksTheServiceWithTheSameProbe() throws Exception {
        String compose = Files.readString(COMPOSE);
        String probe = healthcheck().get(2);
        // the same text in a YAML double-quoted string, where a backslash is written twice
        assertThat(compose).contains(probe.replace("\\", "\\\\"));
    }

    /** The exec form of the Dockerfile's HEALTHCHECK CMD, a JSON array. */
    private static List<String> healthcheck() throws Exception {
        String text = Files.readString(DOCKERFILE).replace("\\\n", " ");
        Matcher m = Pattern.compile("HEALTHCHECK .*?CMD (\\[.*\\])").matcher(text);
        assertThat(m.find()).as("a HEALTHCHECK with an exec-form CMD in %s", DOCKERFILE).isTrue();
        List<String> out = new ArrayList<>();
        for (JsonNode n : ApiClient.JSON.readTree(m.group(1))) {
            out.add(n.asText());
        }
        return out;
    }

    private static int run(List<String> command, int port) throws Exception {
        List<String> withPort = command.stream().map(a -> a.replace("/6000", "/" + port)).toList();
        Process p = new ProcessBuilder(withPort).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
