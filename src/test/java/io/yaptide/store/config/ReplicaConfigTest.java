package io.yaptide.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Multi-host URLs (a primary and its standbys) and YAPTIDE_DATABASE_REPLICA_URL, as the operator writes them. */
class ReplicaConfigTest {

    @Test
    void aMultiHostUrlNamesEveryServerAndConnectsWritesToThePrimary() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p%40ss@h1:5432,h2:5433/yaptide");
        assertThat(url.hosts()).containsExactly(new DatabaseUrl.HostPort("h1", 5432), new DatabaseUrl.HostPort("h2", 5433));
        assertThat(url.isMultiHost()).isTrue();
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/yaptide?targetServerType=primary");
        assertThat(url.password()).contains("p@ss");
        assertThat(url.toString()).isEqualTo("postgresql://u:***@h1:5432,h2:5433/yaptide?target_session_attrs=read-write");
        assertThat(DatabaseUrl.parse(url.render(true))).isEqualTo(url);
    }

    @Test
    void theSqlAlchemyAndJdbcFormsAreTheSameServers() {
        DatabaseUrl plain = DatabaseUrl.parse("postgresql://u:p@h1:5432,h2:5433/db");
        assertThat(DatabaseUrl.parse("postgresql+psycopg://u:p@h1:5432,h2:5433/db")).isEqualTo(plain);
        assertThat(DatabaseUrl.parse("postgresql+psycopg2://u:p@h1:5432,h2:5433/db?target_session_attrs=read-write")).isEqualTo(plain);
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h1:5432,h2:5433/db?user=u&password=p")).isEqualTo(plain);
    }

    @Test
    void anExplicitTargetServerTypeIsKeptAndASingleServerDropsIt() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@h1,h2:5433/db?targetServerType=preferSecondary&sslmode=disable");
        assertThat(url.hosts()).containsExactly(new DatabaseUrl.HostPort("h1", 5432), new DatabaseUrl.HostPort("h2", 5433));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db?targetServerType=preferSecondary&sslmode=disable");
        DatabaseUrl second = url.forHost(url.hosts().get(1));
        assertThat(second.jdbcUrl()).isEqualTo("jdbc:postgresql://h2:5433/db?sslmode=disable");
        assertThat(second.user()).contains("u");
        assertThat(second.password()).contains("p");
    }

    @Test
    void aMalformedHostListIsOneLineNamingTheUrlWithThePasswordMasked() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:secret@h1:5432,/db"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("an empty host").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:secret@h1:5432,h2:x/db"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port 'x'").hasMessageNotContaining("secret");
    }

    @Test
    void theServersAreTheHostsOfBothUrlsEachOnce() {
        DatabaseUrl primary = DatabaseUrl.parse("postgresql://u:p@h1:5432,h2:5433/db");
        ReplicaConfig config = ReplicaConfig.fromEnvironment(primary, Map.of(
                ReplicaConfig.ENV_REPLICA_URL, "postgresql://r:q@h2:5433,h3:5434/db",
                ReplicaConfig.ENV_MAX_LAG_SECONDS, "2.5"));
        assertThat(config.enabled()).isTrue();
        assertThat(config.servers()).extracting(DatabaseUrl::toString).containsExactly(
                "postgresql://u:***@h1:5432/db", "postgresql://u:***@h2:5433/db", "postgresql://r:***@h3:5434/db");
        assertThat(config.maxLag()).isEqualTo(Duration.ofMillis(2500));
        assertThat(ReplicaConfig.fromEnvironment(DatabaseUrl.parse("postgresql://u:p@h1/db"), Map.of()).enabled()).isFalse();
    }

    @Test
    void aReplicaUrlThatCannotBeAStandbyOfThePrimaryIsRefusedAtStart() {
        DatabaseUrl primary = DatabaseUrl.parse("postgresql://u:p@h1:5432/db");
        assertThatThrownBy(() -> ReplicaConfig.fromEnvironment(primary, Map.of(ReplicaConfig.ENV_REPLICA_URL, "postgresql://u:p@h2/other")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("names database 'other', the primary's is 'db'");
        assertThatThrownBy(() -> ReplicaConfig.fromEnvironment(DatabaseUrl.embeddedDefault(Path.of("data")),
                Map.of(ReplicaConfig.ENV_REPLICA_URL, "postgresql://u:p@h2/db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is SQLite");
        assertThatThrownBy(() -> ReplicaConfig.fromEnvironment(primary, Map.of(ReplicaConfig.ENV_REPLICA_URL, "mysql://u:secret@h2/db")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(ReplicaConfig.ENV_REPLICA_URL).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ReplicaConfig.fromEnvironment(primary, Map.of(ReplicaConfig.ENV_MAX_LAG_SECONDS, "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReplicaConfig.ENV_MAX_LAG_SECONDS);
    }
}
