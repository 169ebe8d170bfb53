package io.yaptide.store.health;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.SqlErrors;
import io.yaptide.store.config.RedisUrl;
import io.yaptide.store.migrate.Bookkeeping;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the service can do its work now: the database answers, its schema is at the revision
 * this build expects, and the broker answers when one is configured.
 *
 * <p>The database part is one statement on a pooled connection, reading only the migration
 * bookkeeping (never a user's data): the newest applied revision. Answering at all means the
 * database is up; the id says whether the schema is where the code expects it.
 */
public final class Readiness {
    /** A database that takes longer than this to read one row is not ready either. */
    static final int QUERY_TIMEOUT_SECONDS = 2;
    static final String NEWEST_REVISION = "SELECT id FROM " + Bookkeeping.CHANGELOG + " ORDER BY orderexecuted DESC LIMIT 1";

    private final Database db;
    private final String expectedRevision;
    private final BrokerCheck broker;

    /**
     * @param expectedRevision the head revision of this build's migrations
     * @param brokerUrl        the broker to ping, or null when none is configured
     */
    public Readiness(Database db, String expectedRevision, RedisUrl brokerUrl) {
        this.db = db;
        this.expectedRevision = expectedRevision;
        this.broker = brokerUrl == null ? null : new BrokerCheck(brokerUrl);
    }

    /** The outcome of all checks; ready when every part is. */
    public record Report(List<Check> checks) {
        public boolean ready() {
            return checks.stream().allMatch(Check::ok);
        }

        /** The failing parts, named, for the answer's message. */
        public String summary() {
            if (ready()) {
                return "Ready";
            }
            StringBuilder sb = new StringBuilder("Not ready:");
            checks.stream().filter(c -> !c.ok()).forEach(c -> sb.append(' ').append(c.name()).append(": ").append(c.detail()).append(';'));
            return sb.substring(0, sb.length() - 1);
        }
    }

    public Report check() {
        List<Check> checks = new ArrayList<>(3);
        checkDatabase(checks);
        if (broker != null) {
            checks.add(broker.check());
        }
        return new Report(List.copyOf(checks));
    }

    private void checkDatabase(List<Check> checks) {
        long start = System.nanoTime();
        Connection c;
        try {
            c = db.dataSource().getConnection();
        } catch (SQLException | RuntimeException e) {
            checks.add(new Check("database", false, "unreachable: " + Check.oneLine(e), BrokerCheck.elapsed(start)));
            checks.add(new Check("schema", false, "unknown: the database is unreachable", 0));
            return;
        }
        try (c) {
            String revision = null;
            String failure = null;
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rs = s.executeQuery(NEWEST_REVISION)) {
                    revision = rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                // An answer that is an SQL error still proves the database is up, unless the
                // connection itself broke (SQLSTATE class 08) or the query timed out.
                if (brokenConnection(e, c)) {
                    checks.add(new Check("database", false, "unreachable: " + Check.oneLine(e), BrokerCheck.elapsed(start)));
                    checks.add(new Check("schema", false, "unknown: the database is unreachable", 0));
                    return;
                }
                failure = Check.oneLine(e);
            }
            long millis = BrokerCheck.elapsed(start);
            checks.add(new Check("database", true, "answers", millis));
            checks.add(schema(revision, failure));
        } catch (SQLException e) {
            checks.add(new Check("database", false, "unreachable: " + Check.oneLine(e), BrokerCheck.elapsed(start)));
        }
    }

    private Check schema(String revision, String failure) {
        if (failure != null) {
            return new Check("schema", false, "no revision recorded (" + failure + "); expected " + expectedRevision
                    + ": run bin/yaptide db upgrade", 0);
        }
        if (revision == null) {
            return new Check("schema", false, "no revision applied; expected " + expectedRevision + ": run bin/yaptide db upgrade", 0);
        }
        if (!revision.equals(expectedRevision)) {
            return new Check("schema", false, "at revision " + revision + ", this build expects " + expectedRevision
                    + ": run bin/yaptide db upgrade (or deploy the build that matches the database)", 0);
        }
        return new Check("schema", true, "at revision " + revision, 0);
    }

    private static boolean brokenConnection(SQLException e, Connection c) {
        SqlErrors.Kind kind = SqlErrors.classify(e);
        if (kind == SqlErrors.Kind.UNAVAILABLE || kind == SqlErrors.Kind.TIMED_OUT) {
            return true; // connection failure, shutdown, query cancelled by the timeout
        }
        try {
            return c.isClosed() || !c.isValid(1);
        } catch (SQLException ignored) {
            return true;
        }
    }
}
