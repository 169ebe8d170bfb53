package io.yaptide.store.ops;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.Dialect;
import io.yaptide.store.db.Identifiers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Our own dump format, for when pg_dump is not installed and for moving data between engines:
 * gzip of JSON lines. Line 1 is a header (format, dbms, revision); then for each table a line
 * {@code {"table":..., "columns":[{"name":..,"type":..}]}}, one JSON array per row, and
 * {@code {"end":..., "rows":N}}. Values are typed so that either engine can load them: integers,
 * text, booleans, timestamps as ISO instants, bytes as base64.
 *
 * <p>The schema is not in the dump: restore migrates the empty target to the recorded revision
 * (the changelog is the schema's single source) and then loads the rows, parents first.
 */
final class PortableDump {

    public static final String FORMAT = "yaptide-portable-dump";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int PROGRESS_EVERY = 5000;
    static final int BATCH = 500;

    private PortableDump() {
    }

    enum ColumnType { INT, REAL, BOOL, TIME, BYTES, TEXT }

    record Column(String name, ColumnType type) {
    }

    static ColumnType typeOf(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (t.contains("int") || t.equals("serial")) {
            return ColumnType.INT;
        }
        if (t.contains("time") || t.contains("date")) {
            return ColumnType.TIME;
        }
        if (t.contains("bytea") || t.contains("blob") || t.contains("binary")) {
            return ColumnType.BYTES;
        }
        if (t.contains("bool")) {
            return ColumnType.BOOL;
        }
        if (t.contains("real") || t.contains("double") || t.contains("float") || t.contains("numeric")) {
            return ColumnType.REAL;
        }
        return ColumnType.TEXT;
    }

    /**
     * Writes every application table (in the connection's current transaction, so the dump is
     * consistent when the caller opened a repeatable-read or read transaction).
     *
     * @return row count per table
     */
    public static Map<String, Long> write(Connection c, Dialect dialect, String revision, OutputStream target,
                                          Consumer<String> progress) throws SQLException, IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (GZIPOutputStream gz = new GZIPOutputStream(target, 1 << 16);
             JsonGenerator g = new JsonFactory().createGenerator(gz, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            List<String> tables = AppTables.present(c);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("format", FORMAT);
            header.put("version", 1);
            header.put("dbms", dialect.name().toLowerCase(Locale.ROOT));
            header.put("revision", revision);
            header.put("tables", tables);
            writeLine(g, gz, header);
            for (String table : tables) {
                counts.put(table, writeTable(c, dialect, table, g, gz, progress));
            }
            g.flush();
        }
        return counts;
    }

    private static void writeLine(JsonGenerator g, OutputStream raw, Object value) throws IOException {
        MAPPER.writeValue(g, value);
        g.flush();
        raw.write('\n');
    }

    private static long writeTable(Connection c, Dialect dialect, String table, JsonGenerator g, OutputStream raw,
                                   Consumer<String> progress) throws SQLException, IOException {
        long rows = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(200);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + Identifiers.quoted(table) + " ORDER BY id")) {
                ResultSetMetaData md = rs.getMetaData();
                List<Column> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(new Column(md.getColumnLabel(i), typeOf(md.getColumnTypeName(i))));
                }
                Map<String, Object> head = new LinkedHashMap<>();
                head.put("table", table);
                head.put("columns", columns.stream().map(col -> Map.of("name", col.name(),
                        "type", col.type().name().toLowerCase(Locale.ROOT))).toList());
                writeLine(g, raw, head);
                while (rs.next()) {
                    g.writeStartArray();
                    for (int i = 0; i < columns.size(); i++) {
                        writeValue(g, rs, i + 1, columns.get(i), dialect);
                    }
                    g.writeEndArray();
                    g.flush();
                    raw.write('\n');
                    if (++rows % PROGRESS_EVERY == 0) {
                        progress.accept("  " + table + ": " + rows + " rows...");
                    }
                }
            }
        }
        writeLine(g, raw, Map.of("end", table, "rows", rows));
        progress.accept("  " + table + ": " + rows + " rows");
        return rows;
    }

    private static void writeValue(JsonGenerator g, ResultSet rs, int i, Column col, Dialect dialect)
            throws SQLException, IOException {
        switch (col.type()) {
            case INT -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) g.writeNull(); else g.writeNumber(v);
            }
            case REAL -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) g.writeNull(); else g.writeNumber(v);
            }
            case BOOL -> {
                boolean v = rs.getBoolean(i);
                if (rs.wasNull()) g.writeNull(); else g.writeBoolean(v);
            }
            case TIME -> {
                Instant v = readTime(rs, i, dialect);
                if (v == null) g.writeNull(); else g.writeString(v.toString());
            }
            case BYTES -> {
                byte[] v = rs.getBytes(i);
                if (v == null) g.writeNull(); else g.writeString(Base64.getEncoder().encodeToString(v));
            }
            case TEXT -> {
                String v = rs.getString(i);
                if (v == null) g.writeNull(); else g.writeString(v);
            }
        }
    }

    private static Instant readTime(ResultSet rs, int i, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            Object o = rs.getObject(i);
            if (o == null) {
                return null;
            }
            if (o instanceof java.sql.Timestamp ts && rs.getMetaData().getColumnTypeName(i).equals("timestamp")) {
                return ts.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
            }
            return rs.getObject(i, java.time.OffsetDateTime.class).toInstant();
        }
        return Dialect.parseSqliteTime(rs.getString(i));
    }

    /** The header of a dump and the row count of each table, read through the whole file. */
    public record Contents(String dbms, String revision, Map<String, Long> rows) {
    }

    /** Reads the whole dump, checking every line parses and every table's row count matches its end line. */
    public static Contents verify(Path file) {
        return read(file, (table, columns, row) -> { });
    }

    @FunctionalInterface
    interface RowSink {
        void row(String table, List<Column> columns, ArrayNode row) throws SQLException;
    }

    static Contents read(Path file, RowSink sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            JsonNode header = MAPPER.readTree(in.readLine());
            if (header == null || !FORMAT.equals(header.path("format").asText())) {
                throw new OpsException(file + " is gzip but not a " + FORMAT);
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            String table = null;
            List<Column> columns = List.of();
            long count = 0;
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode node = MAPPER.readTree(line);
                if (node.isArray()) {
                    if (table == null || node.size() != columns.size()) {
                        throw new OpsException(file + " is damaged: a row outside a table or with the wrong column count");
                    }
                    sink.row(table, columns, (ArrayNode) node);
                    count++;
                } else if (node.has("table")) {
                    table = node.get("table").asText();
                    columns = new ArrayList<>();
                    for (JsonNode col : node.get("columns")) {
                        columns.add(new Column(col.get("name").asText(),
                                ColumnType.valueOf(col.get("type").asText().toUpperCase(Locale.ROOT))));
                    }
                    count = 0;
                } else if (node.has("end")) {
                    if (!node.get("end").asText().equals(table) || node.get("rows").asLong() != count) {
                        throw new OpsException(file + " is damaged: table " + table + " has " + count
                                + " rows but its end line says " + node.get("rows").asLong());
                    }
                    rows.put(table, count);
                    table = null;
                }
            }
            if (table != null) {
                throw new OpsException(file + " is truncated: it ends inside table " + table);
            }
            String revision = header.path("revision").isNull() ? null : header.path("revision").asText(null);
            return new Contents(header.path("dbms").asText(), revision, rows);
        } catch (IOException e) {
            throw new OpsException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new OpsException("restoring " + file + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the rows of a dump into a database whose schema is at the dump's revision and whose
     * application tables are empty, in one transaction; on PostgreSQL the id sequences are then
     * moved past the restored ids.
     */
    public static Map<String, Long> load(Path file, Connection c, Dialect dialect, Consumer<String> progress)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
        Map<String, Long> pending = new LinkedHashMap<>();
        Map<String, Set<String>> targetColumns = new LinkedHashMap<>();
        try {
            Contents contents = read(file, (table, columns, row) -> {
                String ours = AppTables.ours(table);
                if (ours == null) {
                    throw new SQLException("the dump has a table " + table + " that is not part of the schema");
                }
                PreparedStatement ps = inserts.get(ours);
                if (ps == null) {
                    flushAll(inserts);
                    ps = prepareInsert(c, ours, columns, targetColumns);
                    inserts.put(ours, ps);
                }
                for (int i = 0; i < columns.size(); i++) {
                    bind(ps, i + 1, columns.get(i).type(), row.get(i), dialect);
                }
                ps.addBatch();
                long n = pending.merge(ours, 1L, Long::sum);
                if (n % BATCH == 0) {
                    ps.executeBatch();
                }
                if (n % PROGRESS_EVERY == 0) {
                    progress.accept("  " + ours + ": " + n + " rows...");
                }
            });
            flushAll(inserts);
            contents.rows().forEach((t, n) -> progress.accept("  " + t + ": " + n + " rows"));
            if (dialect == Dialect.POSTGRESQL) {
                resetSequences(c);
            }
            c.commit();
            return contents.rows();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            for (PreparedStatement ps : inserts.values()) {
                ps.close();
            }
            c.setAutoCommit(auto);
        }
    }

    private static void flushAll(Map<String, PreparedStatement> inserts) throws SQLException {
        for (PreparedStatement ps : inserts.values()) {
            ps.executeBatch();
        }
    }

    private static PreparedStatement prepareInsert(Connection c, String table, List<Column> columns,
                                                   Map<String, Set<String>> cache) throws SQLException {
        Set<String> known = cache.get(table);
        if (known == null) {
            known = new HashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + Identifiers.quoted(table) + " WHERE 1 = 0")) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    known.add(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
                }
            }
            cache.put(table, known);
        }
        StringBuilder names = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (Column col : columns) {
            // Column names come from the file: only names the live table has are put into SQL.
            if (!known.contains(col.name().toLowerCase(Locale.ROOT))) {
                throw new SQLException("the dump has a column " + table + "." + col.name()
                        + " that the target schema lacks; restore into a database at the dump's revision");
            }
            if (names.length() > 0) {
                names.append(", ");
                marks.append(", ");
            }
            names.append(Identifiers.quoted(col.name().toLowerCase(Locale.ROOT)));
            marks.append('?');
        }
        return c.prepareStatement("INSERT INTO " + Identifiers.quoted(table) + " (" + names + ") VALUES (" + marks + ")");
    }

    private static void bind(PreparedStatement ps, int i, ColumnType type, JsonNode v, Dialect dialect) throws SQLException {
        if (v == null || v.isNull()) {
            if (type == ColumnType.TIME) {
                dialect.bindTime(ps, i, null);
            } else {
                ps.setObject(i, null);
            }
            return;
        }
        switch (type) {
            case INT -> ps.setLong(i, v.asLong());
            case REAL -> ps.setDouble(i, v.asDouble());
            case BOOL -> ps.setBoolean(i, v.asBoolean());
            case TIME -> dialect.bindTime(ps, i, Instant.parse(v.asText()));
            case BYTES -> ps.setBytes(i, Base64.getDecoder().decode(v.asText()));
            case TEXT -> ps.setString(i, v.asText());
        }
    }

    static void resetSequences(Connection c) throws SQLException {
        for (String table : AppTables.SERIAL) {
            if (!Catalog.tableExists(c, table)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "
                            + Identifiers.quoted(table))) {
                ps.setString(1, "public." + Identifiers.quoted(table));
                ps.execute();
            }
        }
    }
}
