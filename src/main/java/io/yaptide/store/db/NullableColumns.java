package io.yaptide.store.db;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading nullable integer columns the same way on both drivers (getInt turns NULL into 0). */
public final class NullableColumns {
    private NullableColumns() {
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public static Long longValue(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
