package io.yaptide.store.migrate;

import io.yaptide.store.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The live schema of a database, PostgreSQL or SQLite, as a model that can be compared: tables,
 * columns (declared type, nullability, default, position), primary keys, unique constraints,
 * foreign keys (with their ON DELETE rule) and plain indexes.
 *
 * <p>Bookkeeping tables (Liquibase's, Alembic's {@code alembic_version}, SQLite's internal ones) are
 * left out: they say which revision a database is at, not what its schema is.
 *
 * <p>SQLite keeps no names for unique constraints and foreign keys that can be read back (the
 * original's {@code create_all} did not even give them any), so on SQLite those names are null and
 * constraints are compared by structure; on PostgreSQL names are compared too.
 */
public record SchemaSnapshot(Map<String, Table> tables) {

    /** Tables that record a revision rather than hold data. */
    public static final Set<String> BOOKKEEPING = Set.copyOf(Bookkeeping.TABLES);

    public record Column(String name, int position, String type, boolean nullable, String defaultValue) {
    }

    public record Key(String name, List<String> columns) {
    }

    public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                             String onDelete) {
        String shape() {
            return "(" + String.join(", ", columns) + ") -> \"" + referencedTable + "\"(" + String.join(", ", referencedColumns) + ")";
        }
    }

    public record Index(String name, List<String> columns, boolean unique) {
    }

    public record Table(String name, List<Column> columns, Key primaryKey, List<Key> uniques, List<ForeignKey> foreignKeys,
                        List<Index> indexes) {
        public Column column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst().orElse(null);
        }
    }

    public SchemaSnapshot {
        tables = new TreeMap<>(tables);
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    // ---- reading a live schema -------------------------------------------------------------------

    /** Reads the schema over a fresh connection (closed afterwards). */
    public static SchemaSnapshot read(DatabaseUrl url) {
        try (Connection c = new Migrator(url).connect()) {
            return read(c, url.isPostgres());
        } catch (SQLException e) {
            throw new MigrationException("cannot read the schema of " + url + ": " + e.getMessage(), e);
        }
    }

    public static SchemaSnapshot read(Connection c, boolean postgres) throws SQLException {
        return postgres ? readPostgres(c) : readSqlite(c);
    }

    private static SchemaSnapshot readPostgres(Connection c) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.table_name, c.column_name, c.ordinal_position, c.data_type, c.character_maximum_length,"
                        + " c.is_nullable, c.column_default"
                        + " FROM information_schema.columns c JOIN information_schema.tables t"
                        + "   ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"
                        + " WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position")) {
            while (rs.next()) {
                String table = rs.getString(1);
                if (BOOKKEEPING.contains(table)) {
                    continue;
                }
                String type = postgresType(rs.getString(4), (Integer) rs.getObject(5));
                List<Column> list = columns.computeIfAbsent(table, t -> new ArrayList<>());
                // the place among the live columns: PostgreSQL's ordinal_position keeps the gap of a
                // dropped column, so a column dropped and added back (4027fc5cbcb1, c5a8e2f17d93 and
                // their rollbacks) would otherwise never be at its old place again
                list.add(new Column(rs.getString(2), list.size() + 1, type, "YES".equals(rs.getString(6)), rs.getString(7)));
            }
        }
        Map<String, Key> pks = new LinkedHashMap<>();
        Map<String, List<Key>> uniques = new LinkedHashMap<>();
        Map<String, List<ForeignKey>> fks = new LinkedHashMap<>();
        String columnsOf = "array_to_string(ARRAY(SELECT a.attname FROM unnest(%s) WITH ORDINALITY k(n, i)"
                + " JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.n ORDER BY k.i), ',')";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT cl.relname, con.conname, con.contype, " + columnsOf.formatted("con.conkey", "con.conrelid") + ","
                        + " rcl.relname, " + columnsOf.formatted("con.confkey", "con.confrelid") + ", con.confdeltype"
                        + " FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid"
                        + " JOIN pg_namespace ns ON ns.oid = cl.relnamespace LEFT JOIN pg_class rcl ON rcl.oid = con.confrelid"
                        + " WHERE ns.nspname = current_schema() AND con.contype IN ('p', 'u', 'f')"
                        + " ORDER BY cl.relname, con.conname")) {
            while (rs.next()) {
                String table = rs.getString(1);
                List<String> cols = List.of(rs.getString(4).split(","));
                switch (rs.getString(3)) {
                    case "p" -> pks.put(table, new Key(rs.getString(2), cols));
                    case "u" -> uniques.computeIfAbsent(table, t -> new ArrayList<>()).add(new Key(rs.getString(2), cols));
                    default -> fks.computeIfAbsent(table, t -> new ArrayList<>()).add(new ForeignKey(rs.getString(2), cols,
                            rs.getString(5), List.of(rs.getString(6).split(",")), postgresDeleteRule(rs.getString(7))));
                }
            }
        }
        Map<String, List<Index>> indexes = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT t.relname, i.relname, ix.indisunique, " + columnsOf.formatted("ix.indkey::int2[]", "t.oid")
                        + " FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid"
                        + " JOIN pg_namespace ns ON ns.oid = t.relnamespace"
                        + " WHERE ns.nspname = current_schema()"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)"
                        + " ORDER BY t.relname, i.relname")) {
            while (rs.next()) {
                indexes.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                        .add(new Index(rs.getString(2), List.of(rs.getString(4).split(",")), rs.getBoolean(3)));
            }
        }
        return assemble(columns, pks, uniques, fks, indexes);
    }

    private static String postgresType(String dataType, Integer length) {
        String t = switch (dataType) {
            case "character varying" -> "VARCHAR";
            case "timestamp with time zone" -> "TIMESTAMPTZ";
            case "timestamp without time zone" -> "TIMESTAMP";
            default -> dataType.toUpperCase(Locale.ROOT);
        };
        return length == null ? t : t + "(" + length + ")";
    }

    private static String postgresDeleteRule(String code) {
        return switch (code) {
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            case "r" -> "RESTRICT";
            default -> "NO ACTION";
        };
    }

    private static SchemaSnapshot readSqlite(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!BOOKKEEPING.contains(name.toLowerCase(Locale.ROOT))) {
                    names.add(name);
                }
            }
        }
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        Map<String, Key> pks = new LinkedHashMap<>();
        Map<String, List<Key>> uniques = new LinkedHashMap<>();
        Map<String, List<ForeignKey>> fks = new LinkedHashMap<>();
        Map<String, List<Index>> indexes = new LinkedHashMap<>();
        for (String table : names) {
            TreeMap<Integer, String> pkColumns = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(rs.getString(2), rs.getInt(1) + 1,
                                rs.getString(3).toUpperCase(Locale.ROOT), rs.getInt(4) == 0, rs.getString(5)));
                        if (rs.getInt(6) > 0) {
                            pkColumns.put(rs.getInt(6), rs.getString(2));
                        }
                    }
                }
            }
            if (!pkColumns.isEmpty()) {
                pks.put(table, new Key(null, List.copyOf(pkColumns.values())));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, \"table\", \"from\", \"to\", on_delete"
                    + " FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
                ps.setString(1, table);
                Map<Integer, List<String[]>> byId = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.computeIfAbsent(rs.getInt(1), i -> new ArrayList<>())
                                .add(new String[] {rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
                    }
                }
                for (List<String[]> parts : byId.values()) {
                    fks.computeIfAbsent(table, t -> new ArrayList<>()).add(new ForeignKey(null,
                            parts.stream().map(p -> p[1]).toList(), parts.get(0)[0],
                            parts.stream().map(p -> p[2]).toList(), parts.get(0)[3].toUpperCase(Locale.ROOT)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name")) {
                ps.setString(1, table);
                List<String[]> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
                for (String[] ix : list) {
                    List<String> cols = new ArrayList<>();
                    try (PreparedStatement ps2 = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
                        ps2.setString(1, ix[0]);
                        try (ResultSet rs = ps2.executeQuery()) {
                            while (rs.next()) {
                                cols.add(rs.getString(1));
                            }
                        }
                    }
                    switch (ix[2]) {
                        case "u" -> uniques.computeIfAbsent(table, t -> new ArrayList<>()).add(new Key(null, cols));
                        case "c" -> indexes.computeIfAbsent(table, t -> new ArrayList<>()).add(new Index(ix[0], cols, "1".equals(ix[1])));
                        default -> { } // "pk": the primary key's own index
                    }
                }
            }
        }
        return assemble(columns, pks, uniques, fks, indexes);
    }

    private static SchemaSnapshot assemble(Map<String, List<Column>> columns, Map<String, Key> pks, Map<String, List<Key>> uniques,
                                           Map<String, List<ForeignKey>> fks, Map<String, List<Index>> indexes) {
        Map<String, Table> tables = new LinkedHashMap<>();
        columns.forEach((name, cols) -> tables.put(name, new Table(name, List.copyOf(cols), pks.get(name),
                sorted(uniques.getOrDefault(name, List.of()), k -> String.join(",", k.columns())),
                sorted(fks.getOrDefault(name, List.of()), ForeignKey::shape),
                sorted(indexes.getOrDefault(name, List.of()), Index::name))));
        return new SchemaSnapshot(tables);
    }

    private static <T> List<T> sorted(List<T> list, Function<T, String> key) {
        return list.stream().sorted(Comparator.comparing(key)).toList();
    }

    // ---- comparing -------------------------------------------------------------------------------

    /**
     * What differs between this (live) schema and {@code expected}, one readable line per
     * difference; empty when they are the same.
     *
     * @param compareNames whether constraint names count (not on SQLite, where they cannot be read)
     */
    public List<String> differencesFrom(SchemaSnapshot expected, boolean compareNames) {
        List<String> out = new ArrayList<>();
        for (String name : expected.tables.keySet()) {
            if (!tables.containsKey(name)) {
                out.add("table \"" + name + "\" is missing");
            }
        }
        for (String name : tables.keySet()) {
            if (!expected.tables.containsKey(name)) {
                out.add("table \"" + name + "\" is not expected");
            }
        }
        for (Table want : expected.tables.values()) {
            Table have = tables.get(want.name());
            if (have != null) {
                compareTable(have, want, compareNames, out);
            }
        }
        return out;
    }

    private static void compareTable(Table have, Table want, boolean compareNames, List<String> out) {
        String t = "\"" + want.name() + "\"";
        for (Column w : want.columns()) {
            Column h = have.column(w.name());
            String col = "column " + t + "." + w.name();
            if (h == null) {
                out.add(col + " is missing");
                continue;
            }
            if (!h.type().equals(w.type())) {
                out.add(col + " has type " + h.type() + ", expected " + w.type());
            }
            if (h.nullable() != w.nullable()) {
                out.add(col + " is " + (h.nullable() ? "nullable" : "NOT NULL") + ", expected " + (w.nullable() ? "nullable" : "NOT NULL"));
            }
            if (!Objects.equals(h.defaultValue(), w.defaultValue())) {
                out.add(col + " has default " + h.defaultValue() + ", expected " + w.defaultValue());
            }
            if (h.position() != w.position()) {
                out.add(col + " is at position " + h.position() + ", expected " + w.position());
            }
        }
        for (Column h : have.columns()) {
            if (want.column(h.name()) == null) {
                out.add("column " + t + "." + h.name() + " (" + h.type() + ") is not expected");
            }
        }
        Key hp = have.primaryKey();
        Key wp = want.primaryKey();
        if (hp == null || wp == null) {
            if (hp != wp) {
                out.add("primary key of " + t + " is " + (hp == null ? "missing" : "(" + String.join(", ", hp.columns()) + "), expected none"));
            }
        } else {
            if (!hp.columns().equals(wp.columns())) {
                out.add("primary key of " + t + " is (" + String.join(", ", hp.columns()) + "), expected (" + String.join(", ", wp.columns()) + ")");
            }
            if (compareNames && !Objects.equals(hp.name(), wp.name())) {
                out.add("primary key of " + t + " is named " + hp.name() + ", expected " + wp.name());
            }
        }
        compareKeyed(t, "unique constraint", have.uniques(), want.uniques(), k -> "(" + String.join(", ", k.columns()) + ")",
                (h, w) -> compareNames && !Objects.equals(h.name(), w.name()) ? " is named " + h.name() + ", expected " + w.name() : null, out);
        compareKeyed(t, "foreign key", have.foreignKeys(), want.foreignKeys(), ForeignKey::shape, (h, w) -> {
            if (!h.onDelete().equals(w.onDelete())) {
                return " has ON DELETE " + h.onDelete() + ", expected " + w.onDelete();
            }
            return compareNames && !Objects.equals(h.name(), w.name()) ? " is named " + h.name() + ", expected " + w.name() : null;
        }, out);
        compareKeyed(t, "index", have.indexes(), want.indexes(), i -> "." + i.name(), (h, w) -> {
            if (!h.columns().equals(w.columns()) || h.unique() != w.unique()) {
                return " is " + describe(h) + ", expected " + describe(w);
            }
            return null;
        }, out);
    }

    private static String describe(Index i) {
        return (i.unique() ? "UNIQUE " : "") + "(" + String.join(", ", i.columns()) + ")";
    }

    private static <T> void compareKeyed(String table, String what, List<T> have, List<T> want, Function<T, String> key,
                                         java.util.function.BiFunction<T, T, String> detail, List<String> out) {
        Map<String, T> h = have.stream().collect(Collectors.toMap(key, x -> x, (a, b) -> a, LinkedHashMap::new));
        Map<String, T> w = want.stream().collect(Collectors.toMap(key, x -> x, (a, b) -> a, LinkedHashMap::new));
        w.forEach((k, v) -> {
            if (!h.containsKey(k)) {
                out.add(what + " " + table + k + " is missing");
            } else {
                String d = detail.apply(h.get(k), v);
                if (d != null) {
                    out.add(what + " " + table + k + d);
                }
            }
        });
        h.keySet().stream().filter(k -> !w.containsKey(k)).forEach(k -> out.add(what + " " + table + k + " is not expected"));
    }
}
