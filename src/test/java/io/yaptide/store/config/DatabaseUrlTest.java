package io.yaptide.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgres"})
    void sqlAlchemyPostgresUrlsGiveUserPasswordHostPortDatabaseAndQuery(String scheme) {
        DatabaseUrl url = DatabaseUrl.parse(scheme + "://yaptide:s3cret@db.example.org:6543/prod?sslmode=require&connect_timeout=7");
        assertThat(url.isPostgres()).isTrue();
        assertThat(url.user()).contains("yaptide");
        assertThat(url.password()).contains("s3cret");
        assertThat(url.host()).isEqualTo("db.example.org");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("prod");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/prod?sslmode=require&connect_timeout=7");
    }

    @Test
    void postgresDefaultsToPort5432AndLocalhost() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u@/db");
        assertThat(url.host()).isEqualTo("localhost");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.user()).contains("u");
        assertThat(url.password()).isEmpty();
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/db");
    }

    @Test
    void percentEncodedPasswordsAreDecodedAndPlusIsKeptLiterally() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+psycopg://ann%40lab:p%40ss%3Aw%2Fo+rd%25@h/db");
        assertThat(url.user()).contains("ann@lab");
        assertThat(url.password()).contains("p@ss:w/o+rd%");
        assertThat(url.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").contains("***");
    }

    @Test
    void aRenderedUrlWithThePasswordParsesBackToTheSameCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+psycopg://ann%40lab:p%40ss%3Aw%2Fo+rd%25@h:5433/db?sslmode=require");
        DatabaseUrl again = DatabaseUrl.parse(url.render(true));
        assertThat(again.user()).contains("ann@lab");
        assertThat(again.password()).contains("p@ss:w/o+rd%");
        assertThat(again.jdbcUrl()).isEqualTo(url.jdbcUrl());
        DatabaseUrl sibling = DatabaseUrl.parse(url.withDatabase("other").render(true));
        assertThat(sibling.password()).contains("p@ss:w/o+rd%");
        assertThat(sibling.database()).isEqualTo("other");
    }

    @Test
    void relativeSqlitePathIsResolvedAgainstTheWorkingDirectory() {
        DatabaseUrl url = DatabaseUrl.parse("sqlite:///relative.db");
        assertThat(url.isSqlite()).isTrue();
        assertThat(url.isInMemory()).isFalse();
        assertThat(url.sqliteFile()).contains(Path.of("relative.db").toAbsolutePath().normalize());
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("relative.db").toAbsolutePath().normalize());
    }

    @Test
    void fourSlashesGiveAnAbsoluteSqlitePath() {
        DatabaseUrl url = DatabaseUrl.parse("sqlite:////abs/path.db");
        assertThat(url.sqliteFile()).contains(Path.of("/abs/path.db"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/abs/path.db");
        assertThat(url.toString()).isEqualTo("sqlite:////abs/path.db");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite://", "sqlite:///:memory:", "jdbc:sqlite::memory:", "jdbc:sqlite:"})
    void inMemorySqliteIsANamedSharedCacheDatabaseDistinctPerUrl(String text) {
        DatabaseUrl a = DatabaseUrl.parse(text);
        DatabaseUrl b = DatabaseUrl.parse(text);
        assertThat(a.isInMemory()).isTrue();
        assertThat(a.jdbcUrl()).contains("mode=memory").contains("cache=shared");
        assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl());
    }

    @Test
    void jdbcPostgresUrlsTakeCredentialsFromTheQueryAndKeepOtherParameters() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5433/db?user=ann&password=pw%26x&ssl=true");
        assertThat(url.isPostgres()).isTrue();
        assertThat(url.user()).contains("ann");
        assertThat(url.password()).contains("pw&x");
        assertThat(url.port()).isEqualTo(5433);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/db?ssl=true");
        assertThat(url.renderJdbc(false)).isEqualTo("jdbc:postgresql://h:5433/db?ssl=true&user=ann&password=***");
    }

    @Test
    void jdbcSqliteFileUrlsAreAccepted() {
        assertThat(DatabaseUrl.parse("jdbc:sqlite:/tmp/x.db").sqliteFile()).contains(Path.of("/tmp/x.db"));
        assertThat(DatabaseUrl.parse("jdbc:sqlite:file:/tmp/y.db").sqliteFile()).contains(Path.of("/tmp/y.db"));
    }

    @Test
    void thePasswordIsMaskedEverywhereUnlessAskedFor() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://yaptide:hunter2@h:5432/db");
        assertThat(url.toString()).isEqualTo("postgresql://yaptide:***@h:5432/db");
        assertThat(url.render(false)).doesNotContain("hunter2");
        assertThat(url.renderJdbc(false)).doesNotContain("hunter2");
        assertThat(url.render(true)).isEqualTo("postgresql://yaptide:hunter2@h:5432/db");
        assertThat(url.jdbcUrl()).doesNotContain("hunter2");
    }

    @Test
    void withDatabasePointsAtASiblingKeepingCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@h:5432/one?sslmode=disable").withDatabase("two");
        assertThat(url.database()).isEqualTo("two");
        assertThat(url.password()).contains("p");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/two?sslmode=disable");
    }

    @Test
    void unsupportedSchemesAreRefusedNamingTheAcceptedForms() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:topsecret@h/db"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsupported database URL mysql://u:***@h/db")
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void malformedUrlsAreRefusedWithThePasswordMasked() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h:notaport/db"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("malformed database URL postgresql://u:***@h:notaport/db")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:pw@h:5432/"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no database name");
        assertThatThrownBy(() -> DatabaseUrl.parse("sqlite:relative.db"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sqlite:///");
        assertThatThrownBy(() -> DatabaseUrl.parse("sqlite://relative.db"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("three slashes");
        assertThatThrownBy(() -> DatabaseUrl.parse("  "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("empty database URL");
    }

    @Test
    void passwordsInQueryTextAreMaskedToo() {
        assertThat(DatabaseUrl.maskUrlText("jdbc:postgresql://h/db?user=a&password=zz&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
    }

    @Test
    void optionWinsOverYaptideVariableWhichWinsOverTheFlaskVariableWhichWinsOverTheDefault() {
        Map<String, String> both = Map.of(Settings.ENV_DATABASE_URL, "sqlite:////tmp/yaptide.db",
                Settings.ENV_FLASK_DATABASE_URI, "postgresql://u:p@h/flask");
        assertThat(Settings.resolveDatabaseUrl("sqlite:////tmp/opt.db", both).source()).isEqualTo(Settings.Source.OPTION);
        Settings.ResolvedUrl env = Settings.resolveDatabaseUrl(null, both);
        assertThat(env.source()).isEqualTo(Settings.Source.YAPTIDE_DATABASE_URL);
        assertThat(env.url().sqliteFile()).contains(Path.of("/tmp/yaptide.db"));
        Settings.ResolvedUrl flask = Settings.resolveDatabaseUrl(null, Map.of(Settings.ENV_FLASK_DATABASE_URI, "postgresql://u:p@h/flask"));
        assertThat(flask.source()).isEqualTo(Settings.Source.FLASK_SQLALCHEMY_DATABASE_URI);
        assertThat(flask.url().database()).isEqualTo("flask");
        Settings.ResolvedUrl embedded = Settings.resolveDatabaseUrl(null, Map.of(Settings.ENV_DATA_DIR, "/tmp/ydata"));
        assertThat(embedded.source()).isEqualTo(Settings.Source.EMBEDDED_DEFAULT);
        assertThat(embedded.url().sqliteFile()).contains(Path.of("/tmp/ydata/yaptide.db"));
    }
}
