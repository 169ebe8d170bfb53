package io.yaptide.store.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>The PostgreSQL dump is read straight from its {@code COPY} blocks (text format); the SQLite
 * dump is loaded by the {@code sqlite3} CLI into a temporary file, once per JVM, to be read over JDBC.
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
            try {
                Path dir = Files.createTempDirectory("yaptide-original-");
                Path file = dir.resolve("original.db");
                Process p = new ProcessBuilder("bash", "-c", "xz -dc \"$0\" | sqlite3 \"$1\"",
                        Fixtures.file("original-db/sqlite.sql.xz").toAbsolutePath().toString(), file.toString())
                        .redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("loading sqlite.sql.xz with the sqlite3 CLI failed: " + output);
                }
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                sqliteFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sqliteFile;
    }

    /** Loads the original's PostgreSQL dump into an (empty) PostgreSQL database with {@code psql}. */
    public static void loadPostgres(io.yaptide.store.config.DatabaseUrl url) {
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                    "xz -dc \"$0\" | psql -X -q -v ON_ERROR_STOP=1 -h \"$1\" -p \"$2\" -U \"$3\" -d \"$4\" >/dev/null",
                    Fixtures.file("original-db/postgres.sql.xz").toAbsolutePath().toString(),
                    url.host(), String.valueOf(url.port()), url.user().orElse("postgres"), url.database())
                    .redirectErrorStream(true);
            url.password().ifPresent(pw -> pb.environment().put("PGPASSWORD", pw));
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("loading postgres.sql.xz with psql failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
