package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.migrate.SchemaSnapshot;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.OriginalDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** 'db upgrade' on the original's databases, as an operator sees it. */
class AdoptionCliTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static DatabaseUrl original(Engine engine) {
        return engine == Engine.POSTGRES ? OriginalDatabases.loadPostgres() : OriginalDatabases.loadSqlite();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void upgradeSaysInOneLineWhatItRecognisedThenUpgradesAndCheckPasses(Engine engine) {
        DatabaseUrl url = original(engine);
        Result r = run("--db", url.render(true), "db", "upgrade", "--no-backup");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("Recognised")))
                .containsExactly("Recognised a database made by the original Yaptide (alembic_version 3f9d1f1bec46) at revision"
                        + " 3f9d1f1bec46; recorded it in our bookkeeping, its rows and alembic_version left as they are");
        assertThat(r.out()).contains("Applied b7e4c1a9d2f0").contains("is now at " + Migrator.headId() + " (head)");

        Result check = run("--db", url.render(true), "db", "check");
        assertThat(check.code()).as(check.out()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHandChangedColumnIsRefusedWithExitCode5AndTheDifferenceListed(Engine engine) throws Exception {
        DatabaseUrl url = original(engine);
        execute(url, "ALTER TABLE \"Task\" RENAME COLUMN estimated_time TO eta");
        SchemaSnapshot before = SchemaSnapshot.read(url);

        Result r = run("--db", url.render(true), "db", "upgrade", "--no-backup");

        assertThat(r.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(r.err()).contains("is not exactly revision 3f9d1f1bec46, so it was left unchanged")
                .contains("  - column \"Task\".estimated_time is missing")
                .contains("  - column \"Task\".eta (INTEGER) is not expected")
                .doesNotContain("\tat ");
        assertThat(SchemaSnapshot.read(url)).isEqualTo(before);
    }

    static void execute(DatabaseUrl url, String sql) throws Exception {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
