package io.yaptide.store.cli;

import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.config.Settings;
import io.yaptide.store.db.ReplicaRouting;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code db replicas}: every server of the configured URLs (a multi-host URL, and
 * {@code YAPTIDE_DATABASE_REPLICA_URL}) as the service sees it: its role, a standby's lag in bytes
 * and seconds, and whether the service uses it (writes on the primary; reads on a standby up and within
 * {@code YAPTIDE_DATABASE_REPLICA_MAX_LAG_SECONDS}). Asks each server itself, so it works while the
 * primary is lost. Exit 4 when no server answers.
 */
@Command(name = "replicas", description = {
        "Show each database server's role, a standby's lag (bytes, seconds) and whether the service uses it.",
        "Servers: the hosts of a multi-host URL (postgresql://u:p@h1:5432,h2:5433/db) and of $YAPTIDE_DATABASE_REPLICA_URL."})
final class ReplicasCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Settings.ResolvedUrl resolved = Main.globalOf(spec).resolvedUrl();
        if (!resolved.url().isPostgres()) {
            throw new CliException(ExitCode.USAGE, "the database " + resolved.url() + " is SQLite: standbys are PostgreSQL's"
                    + " streaming replication; see docs/replica.md");
        }
        ReplicaConfig config = ReplicaConfig.fromEnvironment(resolved.url(), GlobalOptions.environment);
        List<ReplicaRouting.ServerStatus> servers = ReplicaRouting.survey(config);
        out.printf("%-24s %-8s %12s %11s  %s%n", "server", "role", "lag_bytes", "lag_seconds", "used by the service");
        for (ReplicaRouting.ServerStatus s : servers) {
            out.printf(Locale.ROOT, "%-24s %-8s %12s %11s  %s%n", s.server(), s.role().name().toLowerCase(Locale.ROOT),
                    s.role() == ReplicaRouting.Role.STANDBY && s.lagBytes() >= 0 ? String.valueOf(s.lagBytes()) : "-",
                    s.role() == ReplicaRouting.Role.STANDBY && s.lagSeconds() >= 0 ? String.format(Locale.ROOT, "%.3f", s.lagSeconds()) : "-",
                    used(s));
        }
        if (!config.enabled()) {
            out.println("(no standby configured: give a multi-host URL or " + ReplicaConfig.ENV_REPLICA_URL + "; docs/replica.md)");
        }
        if (servers.stream().allMatch(s -> s.role() == ReplicaRouting.Role.DOWN)) {
            throw new CliException(ExitCode.UNAVAILABLE, "no database server answers: " + resolved.url()
                    + (config.replicaUrl() == null ? "" : ", " + config.replicaUrl()));
        }
        return ExitCode.OK;
    }

    private static String used(ReplicaRouting.ServerStatus s) {
        return switch (s.role()) {
            case PRIMARY -> "yes: writes, and reads no standby may serve";
            case STANDBY -> s.inUse() ? "yes: users' reads" : "no: " + s.problem();
            case DOWN -> "no: " + s.problem();
        };
    }
}
