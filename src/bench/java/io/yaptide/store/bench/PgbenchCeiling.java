package io.yaptide.store.bench;

import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgbench} itself, when it is on the PATH: one autocommit one-row UPDATE per transaction,
 * 8 clients on 2 threads, for a few seconds, on a 1,000-row scratch table it creates and drops.
 * Null when pgbench is not installed or fails (said on standard error): the JDBC ceiling stands alone then.
 */
final class PgbenchCeiling {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private PgbenchCeiling() {
    }

    static Double measure(DatabaseUrl url, double seconds) throws IOException, InterruptedException {
        if (!onPath("pgbench") || !onPath("psql")) {
            System.err.println("bench: pgbench not on the PATH; the ceiling is the JDBC one alone");
            return null;
        }
        String table = "bench_pgbench_" + UUID.randomUUID().toString().replace("-", "");
        Path script = Files.createTempFile("yaptide-pgbench", ".sql");
        try {
            Files.writeString(script, "\\set id random(0, 999)\nUPDATE " + table + " SET n = n + 1 WHERE id = :id;\n");
            psql(url, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO " + table
                    + " SELECT g, 0 FROM generate_series(0, 999) g;");
            try {
                int secs = (int) Math.max(1, Math.round(seconds * Stopwatch.scale()));
                String output = run(url, List.of("pgbench", "-n", "-c", "8", "-j", "2", "-T", String.valueOf(secs),
                        "-f", script.toString()));
                Matcher m = TPS.matcher(output);
                if (!m.find()) {
                    System.err.println("bench: pgbench printed no tps line; ignored");
                    return null;
                }
                return Double.parseDouble(m.group(1));
            } finally {
                psql(url, "DROP TABLE " + table + ";");
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void psql(DatabaseUrl url, String sql) throws IOException, InterruptedException {
        run(url, List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql));
    }

    private static String run(DatabaseUrl url, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-h", url.host(), "-p", String.valueOf(url.port()), "-U", url.user().orElse("postgres"),
                url.database()));
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        url.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8).strip()
                    .lines().reduce((a, b) -> b).orElse("").toLowerCase(Locale.ROOT));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
