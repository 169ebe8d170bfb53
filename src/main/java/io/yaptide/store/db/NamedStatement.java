package io.yaptide.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;

/**
 * One SQL statement with named parameters ({@code :name}, as JDBI writes them), run on a pooled
 * connection through plain JDBC, for the few statements where JDBI's per-statement work (a handle,
 * a copy of its configuration, argument factories looked up per binding) costs more CPU than the
 * database spends on the statement. Profiling {@code POST /tasks} showed that work at about a
 * third of the service's CPU per request. The SQL keeps its named parameters; they are turned into
 * JDBC's positional ones once, here.
 *
 * <p>Colons inside string literals are text; any other colon must start a parameter (a {@code ::}
 * cast is refused rather than guessed at).
 */
public final class NamedStatement {
    private final String positionalSql;
    private final List<String> positions;

    public NamedStatement(String namedSql) {
        List<String> names = new ArrayList<>();
        StringBuilder sql = new StringBuilder(namedSql.length());
        boolean inLiteral = false;
        int i = 0;
        while (i < namedSql.length()) {
            char c = namedSql.charAt(i);
            if (c == '\'') {
                inLiteral = !inLiteral; // a doubled quote inside a literal toggles twice: still inside
            } else if (c == ':' && !inLiteral) {
                int end = i + 1;
                while (end < namedSql.length() && isNameChar(namedSql.charAt(end), end == i + 1)) {
                    end++;
                }
                if (end == i + 1) {
                    throw new IllegalArgumentException("NamedStatement: a colon outside a literal that starts no parameter"
                            + " (a :: cast?) at offset " + i);
                }
                names.add(namedSql.substring(i + 1, end));
                sql.append('?');
                i = end;
                continue;
            }
            sql.append(c);
            i++;
        }
        this.positionalSql = sql.toString();
        this.positions = List.copyOf(names);
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    /** The SQL as sent to the driver, with {@code ?} for each parameter occurrence. */
    public String positionalSql() {
        return positionalSql;
    }

    /** Binds one named parameter at every place it occurs. */
    public interface Binder {
        void bind(PreparedStatement statement, int position) throws SQLException;
    }

    /** The values of a run, by parameter name. */
    public interface Parameters {
        Binder binderFor(String name);
    }

    /** No parameters, for a statement that has none. */
    public static final Parameters NONE = name -> {
        throw new IllegalArgumentException("no value for parameter :" + name);
    };

    /** Reads one row of a query's result. */
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * Runs the statement as a query on a connection from the pool and reads every row. Used where
     * the statement is all a process does: an admin command such as {@code list-users} spends more
     * time loading and configuring JDBI (some 600 classes) than the database spends answering.
     * Failures are classified as in {@link #executeUpdate}.
     */
    public <T> List<T> queryList(Database db, Parameters parameters, RowReader<T> reader) {
        Connection connection = pooled(db);
        try (connection; PreparedStatement statement = connection.prepareStatement(positionalSql)) {
            bind(statement, parameters);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs the statement as its own autocommit statement on a connection from the pool; returns the
     * update count. A connection that cannot be had is JDBI's {@link ConnectionException}, as from
     * any other store method (the service answers 503 for it), and so is a connection that drops
     * during the statement (a restart of PostgreSQL): both are classified by {@link SqlErrors}.
     */
    public int executeUpdate(Database db, Parameters parameters) {
        try (Connection connection = pooled(db)) {
            return executeUpdate(connection, parameters);
        } catch (SQLException e) { // from closing the connection
            throw failure(e);
        }
    }

    /**
     * Runs the statement on a connection the caller holds (inside its transaction); returns the
     * update count. Failures are classified as by {@link #executeUpdate(Database, Parameters)}.
     */
    public int executeUpdate(Connection connection, Parameters parameters) {
        try (PreparedStatement statement = connection.prepareStatement(positionalSql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs the statement once per parameter set as one JDBC batch on a connection the caller holds;
     * returns the update count of each, in order.
     */
    public int[] executeBatch(Connection connection, List<? extends Parameters> batch) {
        try (PreparedStatement statement = connection.prepareStatement(positionalSql)) {
            for (Parameters parameters : batch) {
                bind(statement, parameters);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs a statement that returns one text column ({@code UPDATE ... RETURNING}, a query) as its
     * own autocommit statement on a pooled connection: the first row's value, or empty when no row
     * came back. Connection failures are classified as by {@link #executeUpdate(Database, Parameters)}.
     */
    public Optional<String> queryText(Database db, Parameters parameters) {
        Connection connection = pooled(db);
        try (connection; PreparedStatement statement = connection.prepareStatement(positionalSql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * A connection from the pool. One that cannot be had is JDBI's {@link ConnectionException}, as
     * from any other store method (created only on failure: the admin path never loads JDBI).
     */
    private static Connection pooled(Database db) {
        try {
            return db.dataSource().getConnection();
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }

    private void bind(PreparedStatement statement, Parameters parameters) throws SQLException {
        for (int i = 0; i < positions.size(); i++) {
            parameters.binderFor(positions.get(i)).bind(statement, i + 1);
        }
    }

    /**
     * The failure as the callers map it: unavailable (503), data the database refuses (400), or a
     * defect (500). The message carries the SQLSTATE only, never the driver's text, which may quote
     * bound values (an update key's hash).
     */
    static RuntimeException failure(SQLException e) {
        return switch (SqlErrors.classify(e)) {
            case UNAVAILABLE -> new DatabaseUnavailableException("the database connection failed during a statement"
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
            case INVALID_DATA -> new InvalidDataException("the database refused a value (SQLSTATE " + e.getSQLState() + ")", e);
            default -> new IllegalStateException("statement failed (SQLSTATE " + e.getSQLState() + ")", e);
        };
    }
}
