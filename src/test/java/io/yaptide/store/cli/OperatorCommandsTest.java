package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.config.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code db pgadmin-servers} and {@code config}: what they print, and that no secret is in it. */
class OperatorCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> savedEnvironment = GlobalOptions.environment;

    @AfterEach
    void restoreEnvironment() {
        GlobalOptions.environment = savedEnvironment;
    }

    @Test
    void pgadminServersRegistersTheConfiguredDatabaseWithoutItsPassword() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+psycopg://yaptide_user:s3cr3t-pw@postgresql:6543/yaptide_db");
        Cli.Result r = Cli.run(url, "db", "pgadmin-servers");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode server = JSON.readTree(r.out()).path("Servers").path("1");
        assertThat(server.path("Host").asText()).isEqualTo("postgresql");
        assertThat(server.path("Port").asInt()).isEqualTo(6543);
        assertThat(server.path("MaintenanceDB").asText()).isEqualTo("yaptide_db");
        assertThat(server.path("Username").asText()).isEqualTo("yaptide_user");
        assertThat(server.path("Group").asText()).isNotBlank();
        assertThat(server.path("Name").asText()).isNotBlank();
        assertThat(server.path("ConnectionParameters").path("sslmode").asText()).isEqualTo("prefer");
        assertThat(server.path("ConnectionParameters").has("passfile")).isFalse();
        assertThat(r.out()).doesNotContain("s3cr3t");
        assertThat(r.err()).doesNotContain("s3cr3t");
    }

    @Test
    void pgadminServersCanNameAndWriteAPassfile() throws Exception {
        Path dir = Files.createTempDirectory("pgadmin");
        Path pgpass = dir.resolve("pgpass");
        DatabaseUrl url = DatabaseUrl.parse("postgresql://anna:p:w@db.example:5432/yaptide?sslmode=require");
        Cli.Result r = Cli.run(url, "db", "pgadmin-servers", "--passfile", "/pgpass", "--write-passfile", pgpass.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode params = JSON.readTree(r.out()).path("Servers").path("1").path("ConnectionParameters");
        assertThat(params.path("passfile").asText()).isEqualTo("/pgpass");
        assertThat(params.path("sslmode").asText()).isEqualTo("require");
        assertThat(r.out()).doesNotContain("p:w");
        assertThat(Files.readString(pgpass)).isEqualTo("db.example:5432:yaptide:anna:p\\:w\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pgpass))).isEqualTo("rw-------");
    }

    @Test
    void pgadminServersRefusesSqliteWithOneLine() {
        Cli.Result r = Cli.run(DatabaseUrl.parse("sqlite:///tmp/x.db"), "db", "pgadmin-servers");
        assertThat(r.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("pgAdmin browses PostgreSQL only");
    }

    @Test
    void configShowsEverySettingWithItsSourceAndMasksSecrets() {
        Map<String, String> env = new HashMap<>();
        env.put("YAPTIDE_DATABASE_URL", "postgresql://yaptide:db-pass-123@db:5432/yaptide");
        env.put("YAPTIDE_JWT_SECRET", "jwt-secret-jwt-secret-jwt-secret-0123456789");
        env.put("CELERY_BROKER_URL", "redis://:broker-pass-456@yaptide_redis:6379/0");
        env.put("YAPTIDE_METRICS_PORT", "9100");
        env.put("YAPTIDE_LOG_FORMAT", "json");
        env.put("YAPTIDE_MAX_BODY_BYTES", "1048576");
        env.put("YAPTIDE_MAX_RESULTS_BODY_BYTES", "8589934592");
        env.put("YAPTIDE_JWT_SECRETT", "typo");
        GlobalOptions.environment = env;

        Cli.Result r = Cli.run(null, "config", "--port", "6000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("db-pass-123").doesNotContain("jwt-secret-jwt").doesNotContain("broker-pass-456");
        assertThat(line(r, "database URL")).contains("postgresql://yaptide:***@db:5432/yaptide").endsWith("variable YAPTIDE_DATABASE_URL");
        assertThat(line(r, "YAPTIDE_JWT_SECRET")).contains("*** (43 bytes)").endsWith("variable");
        assertThat(line(r, "broker URL")).contains("redis://:***@yaptide_redis:6379/0").endsWith("variable CELERY_BROKER_URL");
        assertThat(line(r, "YAPTIDE_METRICS_PORT")).contains("9100").endsWith("variable");
        assertThat(line(r, "YAPTIDE_LOG_FORMAT")).contains("json").endsWith("variable");
        assertThat(line(r, "YAPTIDE_MAX_BODY_BYTES")).contains("1048576").endsWith("variable");
        assertThat(line(r, "YAPTIDE_MAX_RESULTS_BODY_BYTES")).contains("8589934592").endsWith("variable");
        assertThat(line(r, "YAPTIDE_ACCESS_TOKEN_SECONDS")).contains("600").endsWith("default");
        assertThat(line(r, "serve --port")).contains("6000").endsWith("flag --port");
        assertThat(line(r, "serve --host")).contains("127.0.0.1").endsWith("default");
        assertThat(r.out()).contains("Not settings of this build (ignored; a typo?): YAPTIDE_JWT_SECRETT");

        Cli.Result withFlag = Cli.run(DatabaseUrl.parse("postgresql://u:flag-pass@h/d"), "config");
        assertThat(line(withFlag, "database URL")).contains("postgresql://u:***@h").endsWith("flag --db");
        assertThat(withFlag.out()).doesNotContain("flag-pass");
    }

    @Test
    void configWithNothingSetShowsTheDefaults() {
        GlobalOptions.environment = Map.of();
        Cli.Result r = Cli.run(null, "config");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(line(r, "database URL")).endsWith("default (the embedded SQLite file)");
        assertThat(line(r, "YAPTIDE_JWT_SECRET")).contains("(none: a random secret per start)").endsWith("default");
        assertThat(line(r, "broker URL")).contains("(none").endsWith("default");
        assertThat(line(r, "YAPTIDE_LOG_FORMAT")).contains("plain").endsWith("default");
        assertThat(r.out()).doesNotContain("Not settings of this build");
    }

    @Test
    void configRefusesAnInvalidValueAsServeWould() {
        GlobalOptions.environment = Map.of("YAPTIDE_CELERY_BROKER_URL", "amqp://guest:guest-pw@rabbit//");
        Cli.Result r = Cli.run(null, "config");
        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err().strip()).isEqualTo("Error: YAPTIDE_CELERY_BROKER_URL uses 'amqp'; the readiness check can ping only "
                + "a Redis broker (redis://host:6379/0 or rediss://...)");
        assertThat(r.err()).doesNotContain("guest-pw");
    }

    private static String line(Cli.Result r, String name) {
        List<String> lines = r.outLines().stream().filter(l -> l.startsWith(name + " ")).toList();
        assertThat(lines).as("one line for %s in:%n%s", name, r.out()).hasSize(1);
        return lines.get(0).strip();
    }
}
