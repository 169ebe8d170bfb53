package io.yaptide.store.tasks;

import io.yaptide.store.db.Dialect;
import io.yaptide.store.db.NamedStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one place that knows which value each named parameter of the task-update statements takes
 * from a {@link TaskUpdate} (and the task it is for, and the presented key's hash): every path that
 * applies an update (one report, a keyed report, a batch, a report with a celery id) binds through
 * it, so a parameter added to the statement is added here once.
 */
record TaskUpdateBinder(Dialect dialect, long simulationId, int taskId, String keyHash, TaskUpdate update)
        implements NamedStatement.Parameters {

    static TaskUpdateBinder of(Dialect dialect, long simulationId, int taskId, TaskUpdate update) {
        return new TaskUpdateBinder(dialect, simulationId, taskId, null, update);
    }

    @Override
    public NamedStatement.Binder binderFor(String name) {
        TaskUpdate u = update;
        return switch (name) {
            case "simulationId" -> (ps, i) -> ps.setLong(i, simulationId);
            case "taskId" -> (ps, i) -> ps.setInt(i, taskId);
            case "keyHash" -> (ps, i) -> ps.setString(i, keyHash);
            case "state" -> (ps, i) -> ps.setString(i, u.state() == null ? null : u.state().name());
            case "requested" -> (ps, i) -> setInteger(ps, i, u.requestedPrimaries());
            case "simulated" -> (ps, i) -> setInteger(ps, i, u.simulatedPrimaries());
            case "estimated" -> (ps, i) -> setInteger(ps, i, u.estimatedTime());
            case "startTime" -> (ps, i) -> dialect.bindTime(ps, i, micros(u.startTime()));
            case "endTime" -> (ps, i) -> dialect.bindTime(ps, i, micros(u.endTime()));
            // whether the update sends an end time, as a plain flag: a NULL timestamp parameter
            // tested with IS NULL has no type PostgreSQL could infer
            case "endGiven" -> (ps, i) -> ps.setInt(i, u.endTime() != null ? 1 : 0);
            case "celeryId" -> (ps, i) -> ps.setString(i, u.celeryId());
            default -> throw new IllegalStateException("no value for parameter :" + name);
        };
    }

    private static void setInteger(PreparedStatement ps, int position, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(position, Types.INTEGER);
        } else {
            ps.setInt(position, value);
        }
    }

    /** Both databases keep microseconds; truncating here makes what we write what we read back. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
