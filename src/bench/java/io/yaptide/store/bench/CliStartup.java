package io.yaptide.store.bench;

import io.yaptide.store.users.UserStore;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code cli_startup}: the wall time of {@code bin/yaptide list-users} as an operator's shell sees
 * it (a new process each time, through the launcher, against the bench database holding a few
 * users), next to a plain JVM start of an empty main class ({@link EmptyMain}, the PATH's java) and,
 * when {@code YAPTIDE_ORIGINAL_ADMIN} names the original's admin command, the original's
 * {@code list-users} on the same database. The three are run in turn, round after round, in the same
 * run, and the medians compared: {@code cli_startup_ratio} is the CLI's own cost above the JVM,
 * {@code cli_list_users_original_ratio} ours over the original's (target: 0.6 or less).
 *
 * <p>Both tools must print the same lines, or the workload fails: the comparison is only worth
 * something if they did the same work.
 */
final class CliStartup implements Workload {
    /** Rounds at scale 1; each round runs every command once. */
    static final int ROUNDS = 21;
    /** Users in the database while it runs, as in the original's fixture database. */
    static final int USERS = 5;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        Path checkout = checkout();
        Path launcher = checkout.resolve("bin/yaptide");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no launcher at " + launcher + "; run through bench/run (-Dyaptide.checkout)");
        }
        String original = System.getenv("YAPTIDE_ORIGINAL_ADMIN");
        UserStore users = new UserStore(ctx.db());
        List<Long> made = new ArrayList<>();
        Path scratch = Files.createTempDirectory("cli-startup");
        try {
            ctx.user();
            while (users.list().size() < USERS) {
                made.add(users.createPasswordUser("bench-cli-" + UUID.randomUUID(), UUID.randomUUID().toString()).id());
            }
            String databaseUrl = System.getenv("YAPTIDE_DATABASE_URL");
            List<Command> commands = new ArrayList<>();
            commands.add(new Command("empty", List.of(javaOnPath(), "-cp", benchClasses(), EmptyMain.class.getName()), Map.of()));
            commands.add(new Command("ours", List.of("bash", launcher.toString(), "list-users"), Map.of()));
            if (original != null && !original.isBlank()) {
                // the original reads its URL from FLASK_SQLALCHEMY_DATABASE_URI (SQLAlchemy's form, as ours takes)
                String uri = System.getenv().getOrDefault("FLASK_SQLALCHEMY_DATABASE_URI", databaseUrl);
                commands.add(new Command("original", List.of("sh", "-c", "exec " + original + " list-users"),
                        Map.of("FLASK_SQLALCHEMY_DATABASE_URI", uri)));
            } else {
                System.err.println("bench: cli_startup: YAPTIDE_ORIGINAL_ADMIN not set; the original is not measured"
                        + " (docs/benchmarks.md says how to run it)");
            }

            // untimed: the first run of the launcher makes its class cache; every output is checked once here
            String expected = null;
            for (Command c : commands) {
                for (int i = 0; i < (c.name().equals("ours") ? 2 : 1); i++) {
                    String printed = c.run(scratch).stdout();
                    if (!c.name().equals("empty")) {
                        if (expected == null) {
                            expected = printed;
                            if (!printed.startsWith(users.list().size() + " users in DB:\n")) {
                                throw new IllegalStateException("list-users printed: " + printed);
                            }
                        } else if (!printed.equals(expected)) {
                            throw new IllegalStateException("the original printed other lines than ours:\n" + printed
                                    + "ours:\n" + expected);
                        }
                    }
                }
            }

            int rounds = Math.max(3, (int) Math.round(ROUNDS * Stopwatch.scale()));
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < commands.size(); k++) {
                    Command c = commands.get((round + k) % commands.size()); // each takes each place in turn
                    Result r = c.run(scratch);
                    if (!c.name().equals("empty") && !r.stdout().equals(expected)) {
                        throw new IllegalStateException(c.name() + " printed other lines in round " + round + ": " + r.stdout());
                    }
                    c.millis().add(r.millis());
                }
            }
            Command empty = commands.get(0);
            Command ours = commands.get(1);
            out.print("cli_list_users_ms", median(ours.millis()), "ms");
            out.print("cli_jvm_empty_ms", median(empty.millis()), "ms");
            out.print("cli_startup_ratio", median(ours.millis()) / median(empty.millis()), "x");
            if (commands.size() > 2) {
                Command orig = commands.get(2);
                out.print("cli_list_users_original_ms", median(orig.millis()), "ms");
                out.print("cli_list_users_original_ratio", median(ours.millis()) / median(orig.millis()), "x");
            }
            for (Command c : commands) {
                List<Double> sorted = new ArrayList<>(c.millis());
                Collections.sort(sorted);
                System.err.printf("bench: cli_startup: %s %d runs, min %.0f, median %.0f, max %.0f ms%n", c.name(),
                        sorted.size(), sorted.get(0), median(sorted), sorted.get(sorted.size() - 1));
            }
        } finally {
            for (long id : made) {
                users.delete(id, true);
            }
            try (var files = Files.walk(scratch)) {
                files.sorted(Collections.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private record Result(double millis, String stdout) {
    }

    private record Command(String name, List<String> argv, Map<String, String> env, List<Double> millis) {
        Command(String name, List<String> argv, Map<String, String> env) {
            this(name, argv, env, new ArrayList<>());
        }

        Result run(Path scratch) throws IOException, InterruptedException {
            Path stdout = scratch.resolve(name + ".out");
            Path stderr = scratch.resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish in 120 s: " + argv);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            String printed = Files.readString(stdout, StandardCharsets.UTF_8);
            String complaints = Files.readString(stderr, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + ": " + complaints.strip());
            }
            if (name.equals("ours") && !complaints.isEmpty()) {
                throw new IllegalStateException("bin/yaptide list-users wrote to stderr: " + complaints.strip());
            }
            return new Result(millis, printed);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code -Dyaptide.checkout} (bench/run sets it), else the working directory. */
    private static Path checkout() {
        return Path.of(System.getProperty("yaptide.checkout", ".")).toAbsolutePath().normalize();
    }

    private static String javaOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path java = Path.of(dir, "java");
            if (Files.isExecutable(java)) {
                return java.toString();
            }
        }
        throw new IllegalStateException("no java on PATH");
    }

    private static String benchClasses() throws URISyntaxException {
        return Path.of(EmptyMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
