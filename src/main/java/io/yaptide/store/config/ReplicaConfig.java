package io.yaptide.store.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL servers the service may read from besides writing to the primary (docs/replica.md).
 *
 * <p>Two ways to name them, which may be combined: a multi-host primary URL
 * ({@code postgresql://u:p@h1:5432,h2:5433/db}: pgjdbc connects writes to whichever host is the
 * primary, {@code targetServerType=primary}, so a promoted standby is found without a restart), and
 * {@code YAPTIDE_DATABASE_REPLICA_URL} (one or more standbys, the same forms). Every host named is
 * one {@link #servers() server}; which of them is the primary and which are standbys is found out
 * while the service runs, not written here, since a failover swaps them.
 *
 * @param replicaUrl the standbys' URL as given, or null
 * @param servers    every server named, each as a single-host URL with the credentials of the URL it came from
 * @param maxLag     a standby further behind than this is not read from
 */
public record ReplicaConfig(DatabaseUrl replicaUrl, List<DatabaseUrl> servers, Duration maxLag) {

    public static final String ENV_REPLICA_URL = "YAPTIDE_DATABASE_REPLICA_URL";
    public static final String ENV_MAX_LAG_SECONDS = "YAPTIDE_DATABASE_REPLICA_MAX_LAG_SECONDS";
    /** A standby further behind than this serves no reads: result pages a few seconds old are fine, minutes are not. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);

    public ReplicaConfig {
        servers = List.copyOf(servers);
    }

    /** True when there is more than one server: reads may go to a standby, writes follow the primary. */
    public boolean enabled() {
        return servers.size() > 1;
    }

    /** No standby: everything on the primary URL. */
    public static ReplicaConfig none(DatabaseUrl primary) {
        return new ReplicaConfig(null, primary.isPostgres() ? List.of(primary) : List.of(), DEFAULT_MAX_LAG);
    }

    /** The servers of the primary URL and of the standbys' URL, each once. */
    public static ReplicaConfig of(DatabaseUrl primary, DatabaseUrl replicaUrl, Duration maxLag) {
        if (!primary.isPostgres()) {
            if (replicaUrl != null) {
                throw new ConfigException(ENV_REPLICA_URL + " is set, but the database " + primary
                        + " is SQLite: standbys need a PostgreSQL primary; unset it or point the database URL at PostgreSQL");
            }
            return none(primary);
        }
        List<DatabaseUrl> servers = new ArrayList<>();
        Set<DatabaseUrl.HostPort> seen = new LinkedHashSet<>();
        for (DatabaseUrl.HostPort h : primary.hosts()) {
            if (seen.add(h)) {
                servers.add(primary.forHost(h));
            }
        }
        if (replicaUrl != null) {
            if (!replicaUrl.isPostgres()) {
                throw new ConfigException(ENV_REPLICA_URL + " " + replicaUrl + " is not a PostgreSQL URL; give the standby as postgresql://user:password@host:5433/db");
            }
            if (!replicaUrl.database().equals(primary.database())) {
                throw new ConfigException(ENV_REPLICA_URL + " " + replicaUrl + " names database '" + replicaUrl.database()
                        + "', the primary's is '" + primary.database() + "'; a standby holds the same databases as its primary");
            }
            for (DatabaseUrl.HostPort h : replicaUrl.hosts()) {
                if (seen.add(h)) {
                    servers.add(replicaUrl.forHost(h));
                }
            }
        }
        return new ReplicaConfig(replicaUrl, servers, maxLag);
    }

    /** From {@code YAPTIDE_DATABASE_REPLICA_URL} and {@code YAPTIDE_DATABASE_REPLICA_MAX_LAG_SECONDS}. */
    public static ReplicaConfig fromEnvironment(DatabaseUrl primary, Map<String, String> env) {
        return of(primary, replicaUrl(env).orElse(null), maxLag(env));
    }

    public static Optional<DatabaseUrl> replicaUrl(Map<String, String> env) {
        String text = env.get(ENV_REPLICA_URL);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DatabaseUrl.parse(text));
        } catch (ConfigException e) {
            throw new ConfigException(ENV_REPLICA_URL + ": " + e.getMessage());
        }
    }

    static Duration maxLag(Map<String, String> env) {
        String text = env.get(ENV_MAX_LAG_SECONDS);
        if (text == null || text.isBlank()) {
            return DEFAULT_MAX_LAG;
        }
        try {
            double seconds = Double.parseDouble(text.strip());
            if (!(seconds > 0) || seconds > 86_400) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            throw new ConfigException(ENV_MAX_LAG_SECONDS + " is '" + text.strip() + "'; give a number of seconds above 0, e.g. 5");
        }
    }
}
