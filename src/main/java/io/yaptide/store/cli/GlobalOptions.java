package io.yaptide.store.cli;

import io.yaptide.store.config.Settings;
import io.yaptide.store.db.Database;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command accepts: where the database is, and how much to say.
 * Mixed into each command so that {@code yaptide list-users --db URL} and
 * {@code yaptide --db URL list-users} both work.
 */
final class GlobalOptions {

    @Option(names = "--db", paramLabel = "URL", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Database URL (postgresql://user:pass@host:5432/db, sqlite:///file.db, jdbc:...). "
                    + "Default: $YAPTIDE_DATABASE_URL, else $FLASK_SQLALCHEMY_DATABASE_URI, else sqlite:///data/yaptide.db")
    String db;

    @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Say more about what is done.")
    boolean[] verbosity = new boolean[0];

    /** Environment, replaceable in tests. */
    static Map<String, String> environment = System.getenv();

    public Settings.ResolvedUrl resolvedUrl() {
        return Settings.resolveDatabaseUrl(db, environment);
    }

    public Database openDatabase() {
        return Database.open(resolvedUrl().url());
    }

    public int verbosity() {
        return verbosity.length;
    }
}
