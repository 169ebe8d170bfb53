package io.yaptide.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Identifiers;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.ops.AppTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The database the original made at its current revision ({@code upstream-head/postgres.sql.xz}:
 * schema by its own migrations from empty, rows by its own routes), on either engine.
 *
 * <p>PostgreSQL: the dump loaded once into a template, each test a {@code CREATE DATABASE ...
 * TEMPLATE} copy. SQLite: the original has no SQLite copy, so one is built by our revisions up to
 * the original's {@code 5003b9acb1f4}, with our bookkeeping replaced by an {@code alembic_version}
 * stamped there (as the original's "create the tables, then stamp head"), and every row copied from
 * the PostgreSQL fixture, times written in the original's SQLite format. Needs PostgreSQL for both.
 */
public final class UpstreamHead {

    public static final String REVISION = "5003b9acb1f4";
    public static final String FIXTURE = "upstream-head/postgres.sql.xz";
    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private static String postgresTemplate;
    private static Path sqliteTemplate;

    private UpstreamHead() {
    }

    /** A fresh copy of the fixture on the given engine. */
    public static DatabaseUrl database(Engine engine) {
        return engine == Engine.POSTGRES ? postgres() : sqlite();
    }

    public static DatabaseUrl postgres() {
        return TestDatabases.copyOfPostgres(postgresTemplate(), "upstream");
    }

    public static DatabaseUrl sqlite() {
        Path template = sqliteTemplate();
        try {
            Path file = Files.createTempFile("yaptide-upstream-", ".db");
            Files.copy(template, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            return DatabaseUrl.parse("sqlite:///" + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's {@code credentials.json}. */
    public static JsonNode credentials() {
        try {
            return new ObjectMapper().readTree(Fixtures.read("upstream-head/credentials.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized String postgresTemplate() {
        if (postgresTemplate == null) {
            DatabaseUrl url = TestDatabases.scratchPostgres("upstream_template");
            OriginalDatabases.loadPostgresDump(url, FIXTURE);
            postgresTemplate = url.database();
        }
        return postgresTemplate;
    }

    private static synchronized Path sqliteTemplate() {
        if (sqliteTemplate == null) {
            try {
                Path file = Files.createTempFile("yaptide-upstream-template-", ".db");
                Files.delete(file);
                file.toFile().deleteOnExit();
                DatabaseUrl sqlite = DatabaseUrl.parse("sqlite:///" + file.toAbsolutePath());
                new Migrator(sqlite).upgrade(REVISION);
                copyRows(postgres(), file);
                sqliteTemplate = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sqliteTemplate;
    }

    private static void copyRows(DatabaseUrl from, Path to) {
        try (Connection pg = DriverManager.getConnection(from.jdbcUrl(), from.user().orElse(null), from.password().orElse(null));
             Connection lite = DriverManager.getConnection("jdbc:sqlite:" + to)) {
            lite.setAutoCommit(false);
            try (Statement s = lite.createStatement()) {
                for (String bookkeeping : List.of("databasechangelog", "databasechangeloglock", "yaptide_update_key_carry")) {
                    s.execute("DROP TABLE IF EXISTS " + bookkeeping);
                }
                s.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                        + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
                s.execute("INSERT INTO alembic_version (version_num) VALUES ('" + REVISION + "')");
            }
            for (String table : AppTables.ALL) {
                try (Statement read = pg.createStatement();
                     ResultSet rs = read.executeQuery("SELECT * FROM " + Identifiers.quoted(table) + " ORDER BY id")) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add('"' + md.getColumnName(i) + '"');
                    }
                    String insert = "INSERT INTO " + Identifiers.quoted(table) + " (" + String.join(", ", columns) + ") VALUES ("
                            + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
                    try (PreparedStatement ps = lite.prepareStatement(insert)) {
                        while (rs.next()) {
                            for (int i = 1; i <= columns.size(); i++) {
                                Object v = rs.getObject(i);
                                if (md.getColumnTypeName(i).startsWith("timestamp") && v != null) {
                                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                                    ps.setString(i, SQLITE_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC)));
                                } else {
                                    ps.setObject(i, v);
                                }
                            }
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
            }
            lite.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("copying the upstream-head fixture into SQLite failed: " + e.getMessage(), e);
        }
    }
}
