package io.yaptide.store.bench;

import io.yaptide.store.config.ConfigException;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.Settings;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.DatabaseUnavailableException;
import io.yaptide.store.migrate.MigrationException;
import io.yaptide.store.migrate.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run [WORKLOAD...]}: runs benchmarks against the database in
 * {@code YAPTIDE_DATABASE_URL} (migrated to head first) and prints one line per figure,
 * {@code name value unit}, on standard output; progress and errors go to standard error.
 * Everything a run creates belongs to a throw-away user that is deleted, with all of it, at the end.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Map<String, Workloads.Entry> registry = Workloads.all();
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--list") || arg.equals("-h") || arg.equals("--help")) {
                System.err.println("usage: bench/run [WORKLOAD...]   (none: every default workload)");
                registry.forEach((name, e) -> System.err.printf("  %-22s %s%s%n", name, e.description(), e.byDefault() ? "" : " [not by default]"));
                return 0;
            }
            if (!registry.containsKey(arg)) {
                System.err.println("bench: unknown workload '" + arg + "'; known: " + String.join(", ", registry.keySet()));
                return 2;
            }
            names.add(arg);
        }
        if (names.isEmpty()) {
            registry.forEach((name, e) -> {
                if (e.byDefault()) {
                    names.add(name);
                }
            });
        }
        DatabaseUrl url;
        try {
            url = Settings.resolveDatabaseUrl(null, System.getenv()).url();
        } catch (ConfigException e) {
            System.err.println("bench: " + e.getMessage());
            return 3;
        }
        Path fixtures = fixtures();
        if (fixtures == null) {
            return 3;
        }
        Figures out = new Figures(System.out);
        String current = null;
        try (BenchContext ctx = new BenchContext(() -> open(url), fixtures)) {
            for (String name : names) {
                current = name;
                System.err.println("bench: running " + name);
                registry.get(name).workload().run(ctx, out);
            }
            return 0;
        } catch (DatabaseUnavailableException e) {
            System.err.println("bench: " + e.getMessage());
            return 4;
        } catch (MigrationException e) {
            System.err.println("bench: cannot prepare the database: " + e.getMessage());
            return 5;
        } catch (Exception e) {
            System.err.println("bench: " + (current == null ? "cleanup" : current) + " failed: " + e
                    + (System.getenv("BENCH_DEBUG") == null ? " (BENCH_DEBUG=1 shows the stack trace)" : ""));
            if (System.getenv("BENCH_DEBUG") != null) {
                e.printStackTrace(System.err);
            }
            return 70;
        }
    }

    private static Database open(DatabaseUrl url) {
        System.err.println("bench: database " + url + " (migrating to head)");
        new Migrator(url).upgrade(Migrator.HEAD);
        return Database.open(url);
    }

    /** {@code -Dyaptide.fixtures}, else {@code ../shared/fixtures} beside the checkout; null (reported) if missing. */
    private static Path fixtures() {
        String configured = System.getProperty("yaptide.fixtures");
        Path p = configured != null ? Path.of(configured) : Path.of("..", "shared", "fixtures");
        if (!Files.isDirectory(p)) {
            System.err.println("bench: fixtures not found at " + p.toAbsolutePath()
                    + "; the shared/ folder must sit beside the checkout, or pass -Dyaptide.fixtures=DIR");
            return null;
        }
        return p;
    }
}
