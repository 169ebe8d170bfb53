package io.yaptide.store.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * The few places where PostgreSQL and SQLite differ for this schema.
 *
 * <p>Timestamps are the main one. PostgreSQL has {@code timestamp with time zone}. SQLite has no
 * date type, and the original (SQLAlchemy) stored UTC times as text {@code YYYY-MM-DD HH:MM:SS.ffffff};
 * we write the same text so that a database shared with the original stays readable by it, and text
 * in that fixed-width form sorts in time order, so ordering and comparisons in SQL keep working.
 */
public enum Dialect {
    POSTGRESQL,
    SQLITE;

    /** SQLAlchemy's SQLite DateTime storage format. */
    static final DateTimeFormatter SQLITE_TIME_WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** Lenient reader: with or without fraction, 'T' or space, optional offset. */
    static final DateTimeFormatter SQLITE_TIME_READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    /** Binds an instant (or null) the way this database stores a timestamp column. */
    public void bindTime(PreparedStatement statement, int position, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(position, this == POSTGRESQL ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR);
        } else if (this == POSTGRESQL) {
            statement.setObject(position, value.atOffset(ZoneOffset.UTC));
        } else {
            statement.setString(position, formatSqliteTime(value));
        }
    }

    /** Reads a timestamp column as an instant, or null. */
    public Instant readTime(ResultSet rs, String column) throws SQLException {
        if (this == POSTGRESQL) {
            OffsetDateTime odt = rs.getObject(column, OffsetDateTime.class);
            return odt == null ? null : odt.toInstant();
        }
        return parseSqliteTime(rs.getString(column));
    }

    public static String formatSqliteTime(Instant value) {
        return SQLITE_TIME_WRITE.format(LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    public static Instant parseSqliteTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        var parsed = SQLITE_TIME_READ.parse(text.strip());
        LocalDateTime local = LocalDateTime.of(
                parsed.get(ChronoField.YEAR), parsed.get(ChronoField.MONTH_OF_YEAR), parsed.get(ChronoField.DAY_OF_MONTH),
                parsed.get(ChronoField.HOUR_OF_DAY), parsed.get(ChronoField.MINUTE_OF_HOUR), parsed.get(ChronoField.SECOND_OF_MINUTE),
                parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.get(ChronoField.NANO_OF_SECOND) : 0);
        int offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? parsed.get(ChronoField.OFFSET_SECONDS) : 0;
        return local.toInstant(ZoneOffset.ofTotalSeconds(offset));
    }

    /** SQL for "the current time" in the column format of this database. */
    public String nowSql() {
        return this == POSTGRESQL ? "CURRENT_TIMESTAMP" : "strftime('%Y-%m-%d %H:%M:%f000', 'now')";
    }
}
