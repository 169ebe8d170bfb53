package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fresh copies of the original system's databases ({@code original-db/postgres.sql.xz} loaded by
 * psql into a scratch PostgreSQL database, {@code sqlite.sql.xz} by sqlite3 into a temp file), for
 * tests that must see real data exactly as the original left it.
 */
final class FixtureDatabases {
    private FixtureDatabases() {
    }

    static DatabaseUrl postgres() {
        DatabaseUrl url = TestDatabases.scratchPostgres("fixture");
        load(List.of("bash", "-c", "xz -dc \"$0\" | psql -q -v ON_ERROR_STOP=1 --host \"$1\" --port \"$2\" --username \"$3\" --dbname \"$4\"",
                Fixtures.file("original-db/postgres.sql.xz").toAbsolutePath().toString(),
                url.host(), String.valueOf(url.port()), url.user().orElse("postgres"), url.database()),
                url.password().orElse(""));
        return url;
    }

    static DatabaseUrl sqlite() {
        try {
            Path dir = Files.createTempDirectory("yaptide-fixture-");
            Path file = dir.resolve("original.db");
            load(List.of("bash", "-c", "xz -dc \"$0\" | sqlite3 \"$1\"",
                    Fixtures.file("original-db/sqlite.sql.xz").toAbsolutePath().toString(), file.toString()), "");
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return DatabaseUrl.parse("sqlite:///" + file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void load(List<String> command, String password) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", password);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("loading a fixture database failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
