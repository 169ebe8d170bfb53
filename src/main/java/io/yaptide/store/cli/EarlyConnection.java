package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.Settings;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.DatabaseUnavailableException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An admin command's database connection, opened on a second thread while picocli reads the
 * command line on the first. Logging in to PostgreSQL (SCRAM's 4,096 rounds of HMAC, done in Java)
 * and parsing take about as long each; side by side, list-users waits for the longer only.
 *
 * <p>Only for PostgreSQL (opening SQLite creates the file, which a mistyped command must not do),
 * only when the URL is unambiguous (one {@code --db}, or none and the environment), and only the
 * connection the command would open itself: {@link #take} hands it over when the command's URL is
 * the same, with the same failure it would have had ({@link DatabaseUnavailableException}); a
 * connection nobody took is closed before exit.
 */
final class EarlyConnection {
    private static volatile Opening opening;

    private record Opening(DatabaseUrl url, CompletableFuture<Database> database) {
    }

    private EarlyConnection() {
    }

    /** Starts opening the database the command line names, if it is PostgreSQL; false if it did not. */
    static boolean start(String[] args) {
        String option = null;
        int given = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                option = args[++i];
                given++;
            } else if (args[i].startsWith("--db=")) {
                option = args[i].substring("--db=".length());
                given++;
            } else if (args[i].equals("-h") || args[i].equals("--help") || args[i].equals("-V") || args[i].equals("--version")) {
                return false; // no command runs
            }
        }
        if (given > 1) {
            return false; // picocli refuses it: let it say so
        }
        DatabaseUrl url;
        try {
            url = Settings.resolveDatabaseUrl(option, GlobalOptions.environment).url();
        } catch (RuntimeException invalid) {
            return false; // the command reports it
        }
        if (!url.isPostgres()) {
            return false;
        }
        CompletableFuture<Database> database = new CompletableFuture<>();
        opening = new Opening(url, database);
        Thread t = new Thread(() -> {
            try {
                database.complete(Database.openSingleConnection(url));
            } catch (Throwable e) {
                database.completeExceptionally(e);
            }
        }, "early-connection");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /**
     * The connection opened early for {@code url}, or a new one: either way what
     * {@link Database#openSingleConnection} gives or throws.
     */
    static Database take(DatabaseUrl url) {
        Opening o = opening;
        if (o != null && same(o.url(), url)) {
            opening = null;
            try {
                return o.database().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DatabaseUnavailableException unavailable) {
                    throw unavailable;
                }
                // anything else: open it here, where it fails as it always did
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Database.openSingleConnection(url);
    }

    /** Closes a connection opened early that no command took (a usage error, a command without a database). */
    static void discard() {
        Opening o = opening;
        opening = null;
        if (o != null) {
            try {
                o.database().get().close();
            } catch (ExecutionException | RuntimeException ignored) {
                // nothing was opened, or it is gone already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean same(DatabaseUrl a, DatabaseUrl b) {
        return a.jdbcUrl().equals(b.jdbcUrl()) && Objects.equals(a.user(), b.user()) && Objects.equals(a.password(), b.password());
    }
}
