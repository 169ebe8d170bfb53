package io.yaptide.store.testing;

import io.yaptide.store.config.DatabaseUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rows of the databases the original system made ({@code original-db/postgres.sql.xz} and
 * {@code sqlite.sql.xz}), read as they are, so tests can check our code against bytes and hashes
 * the original wrote.
 *
 * <p>The PostgreSQL dump is read straight from its {@code COPY} blocks (text format), or loaded
 * whole into a scratch database ({@link #loadPostgres()}); the SQLite dump is loaded into a
 * temporary file through sqlite-jdbc ({@link #loadSqlite()}, {@link #sqliteFile()}).
 */
public final class OriginalDatabases {
    private static Path sqliteFile;

    private OriginalDatabases() {
    }

    /** The rows of one table of the PostgreSQL dump, columns by name, {@code \N} as null. */
    public static List<Map<String, String>> postgresRows(String table) {
        String header = "COPY public.\"" + table + "\" (";
        String altHeader = "COPY public." + table + " (";
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader in = xzReader(Fixtures.file("original-db/postgres.sql.xz"))) {
            String line;
            List<String> columns = null;
            while ((line = in.readLine()) != null) {
                if (columns == null) {
                    if (line.startsWith(header) || line.startsWith(altHeader)) {
                        String list = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                        columns = List.of(list.split(",\\s*"));
                    }
                    continue;
                }
                if (line.equals("\\.")) {
                    return rows;
                }
                String[] values = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i), values[i].equals("\\N") ? null : unescapeCopy(values[i]));
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no COPY block for table " + table + " in postgres.sql.xz");
    }

    /** Decodes a bytea value of a COPY block ({@code \x} followed by hex, after unescaping). */
    public static byte[] bytea(String copyValue) {
        if (!copyValue.startsWith("\\x")) {
            throw new IllegalArgumentException("not a hex bytea value: " + copyValue.substring(0, Math.min(20, copyValue.length())));
        }
        return java.util.HexFormat.of().parseHex(copyValue.substring(2));
    }

    /** A temporary SQLite file holding the original's SQLite database (treat it as read-only). */
    public static synchronized Path sqliteFile() {
        if (sqliteFile == null) {
            sqliteFile = loadSqlite().sqliteFile().orElseThrow();
        }
        return sqliteFile;
    }

    /**
     * A fresh scratch PostgreSQL database (on the test server, dropped at exit) holding the
     * original's PostgreSQL database: {@code xz -dc postgres.sql.xz | psql}. Needs the {@code xz}
     * and {@code psql} commands; fails with a message naming the missing one.
     */
    public static DatabaseUrl loadPostgres() {
        DatabaseUrl url = TestDatabases.scratchPostgres("original");
        loadPostgres(url);
        return url;
    }

    /** Loads the original's PostgreSQL dump into an (empty) PostgreSQL database with {@code psql}. */
    public static void loadPostgres(DatabaseUrl url) {
        loadPostgresDump(url, "original-db/postgres.sql.xz");
    }

    /** Loads a PostgreSQL dump of the fixtures ({@code xz}-compressed SQL) into an empty database with {@code psql}. */
    public static void loadPostgresDump(DatabaseUrl url, String fixture) {
        requireCommand("xz", "install it (apt-get install -y xz-utils)");
        requireCommand("psql", "install the PostgreSQL client (apt-get install -y postgresql-client)");
        try {
            ProcessBuilder pb = new ProcessBuilder("psql", "-q", "-X", "-v", "ON_ERROR_STOP=1",
                    "-h", url.host(), "-p", String.valueOf(url.port()), "-U", url.user().orElse("postgres"),
                    "-d", url.database()).redirectErrorStream(true);
            url.password().ifPresent(pw -> pb.environment().put("PGPASSWORD", pw));
            Process psql = pb.start();
            // pg_dump 17.6+ writes "restrict"/"unrestrict" meta-command lines that older psql clients reject;
            // they only matter for dumps from untrusted servers, so they are dropped on the way.
            Thread feeder = new Thread(() -> {
                try (BufferedReader in = xzReader(Fixtures.file(fixture));
                     var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(psql.getOutputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("\\restrict ") || line.startsWith("\\unrestrict ")) {
                            continue;
                        }
                        out.write(line);
                        out.write('\n');
                    }
                } catch (IOException e) {
                    // psql exited early; its output says why
                }
            });
            feeder.start();
            String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = psql.waitFor(120, TimeUnit.SECONDS);
            feeder.join(10_000);
            if (!done || psql.exitValue() != 0) {
                throw new IllegalStateException("loading " + fixture + " into " + url + " with psql failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fresh temporary SQLite file (deleted at exit) holding the original's SQLite database, made
     * by running the statements of {@code sqlite.sql.xz} through sqlite-jdbc (no sqlite3 CLI needed).
     */
    public static DatabaseUrl loadSqlite() {
        try {
            Path dir = Files.createTempDirectory("yaptide-original-");
            Path file = dir.resolve("original.db");
            String script;
            try (BufferedReader in = xzReader(Fixtures.file("original-db/sqlite.sql.xz"))) {
                StringBuilder sb = new StringBuilder();
                char[] buf = new char[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sb.append(buf, 0, n);
                }
                script = sb.toString();
            }
            if (script.isEmpty()) {
                throw new IllegalStateException("xz -dc sqlite.sql.xz gave nothing; is xz installed?");
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (String statement : SqlScript.statements(script)) {
                    String upper = statement.strip().toUpperCase(java.util.Locale.ROOT);
                    if (upper.startsWith("BEGIN") || upper.equals("COMMIT") || upper.startsWith("PRAGMA")) {
                        continue; // one transaction of our own; foreign keys are off by default on a raw connection
                    }
                    s.execute(statement);
                }
                c.commit();
            }
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return DatabaseUrl.parse("sqlite:///" + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("loading sqlite.sql.xz through sqlite-jdbc failed: " + e.getMessage(), e);
        }
    }

    private static void requireCommand(String command, String advice) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new IllegalStateException("the '" + command + "' command is needed to load the original's database and is not on PATH; " + advice);
    }

    private static BufferedReader xzReader(Path file) throws IOException {
        Process p = new ProcessBuilder("xz", "-dc", file.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
            @Override
            public void close() throws IOException {
                super.close();
                p.destroy();
            }
        };
    }

    /** PostgreSQL COPY text format escapes: backslash sequences for control characters. */
    private static String unescapeCopy(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char next = value.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
