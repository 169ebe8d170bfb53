package io.yaptide.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** {@code original-db/credentials.json}: plain passwords and update keys behind the fixture databases. */
public final class OriginalCredentials {
    /** A password user of the fixture databases with its plain password. */
    public record Login(String username, String password, String hashMethod) {
    }

    /** A simulation of the fixture databases with its plain update key. */
    public record SimulationKey(long simulationId, String jobId, String updateKey) {
    }

    private OriginalCredentials() {
    }

    public static JsonNode json() {
        try {
            return new ObjectMapper().readTree(Fixtures.file("original-db/credentials.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Login> logins() {
        List<Login> logins = new ArrayList<>();
        for (JsonNode u : json().get("yaptide_users")) {
            logins.add(new Login(u.get("username").asText(), u.get("password").asText(), u.get("hash_method").asText()));
        }
        return logins;
    }

    public static List<SimulationKey> simulationKeys() {
        List<SimulationKey> keys = new ArrayList<>();
        for (JsonNode s : json().get("simulations")) {
            keys.add(new SimulationKey(s.get("simulation_id").asLong(), s.get("job_id").asText(), s.get("update_key").asText()));
        }
        return keys;
    }
}
