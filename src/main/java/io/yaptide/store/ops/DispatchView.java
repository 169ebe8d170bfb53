package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.outbox.CeleryOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of the Celery dispatch, over a plain JDBC connection (the CLI's {@code db
 * inspect} and {@code list-dispatch}): each job of the outbox with its dispatch state (queued, sent,
 * running, merging; with {@code all}, also the ended ones) and its age.
 */
public final class DispatchView {
    public static final String TABLE = "yaptide_celery_outbox";

    private DispatchView() {
    }

    /** @param age milliseconds since the job was recorded */
    public record Row(long simulationId, String jobId, String dispatch, String jobState, long age, int attempts,
                      String lastError) {
    }

    /**
     * The rows, read over an operations connection to {@code url}; empty when the database has no
     * outbox (a revision before the outbox).
     *
     * @throws OpsException with the driver's message when the outbox cannot be read
     */
    public static Optional<List<Row>> read(DatabaseUrl url, boolean all) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return Catalog.tableExists(c, TABLE) ? Optional.of(read(c, all)) : Optional.empty();
        } catch (SQLException e) {
            throw new OpsException(e.getMessage(), e);
        }
    }

    public static List<Row> read(Connection c, boolean all) throws SQLException {
        String sql = """
                SELECT o.simulation_id, s.job_id, o.dispatch_state, s.job_state, o.queued_at, o.sent_at,
                       o.attempts, o.last_error
                FROM yaptide_celery_outbox o LEFT JOIN "Simulation" s ON s.id = o.simulation_id
                """ + (all ? "" : "WHERE o.dispatch_state IN ('QUEUED', 'SENT') ") + "ORDER BY o.queued_at, o.simulation_id";
        List<Row> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long sent = rs.getLong(6);
                Long sentAt = rs.wasNull() ? null : sent;
                var e = new CeleryOutbox.Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), sentAt, rs.getInt(7), rs.getString(8));
                rows.add(new Row(e.simulationId(), e.jobId(), CeleryOutbox.dispatchState(e), e.jobState(),
                        now - e.queuedAt(), e.attempts(), e.lastError()));
            }
        }
        return rows;
    }

    /** How many jobs in each dispatch state, and the oldest age of each. */
    public static String summary(List<Row> rows) {
        Map<String, long[]> by = new LinkedHashMap<>();
        for (String s : List.of("queued", "sent", "running", "merging")) {
            by.put(s, new long[] {0, 0});
        }
        for (Row r : rows) {
            long[] v = by.computeIfAbsent(r.dispatch(), k -> new long[] {0, 0});
            v[0]++;
            v[1] = Math.max(v[1], r.age());
        }
        List<String> parts = new ArrayList<>();
        by.forEach((state, v) -> parts.add(state + " " + v[0] + (v[0] > 0 ? " (oldest " + age(v[1]) + ")" : "")));
        return String.join(", ", parts);
    }

    /** {@code 42s}, {@code 3m05s}, {@code 2h07m}, {@code 3d04h}. */
    public static String age(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
