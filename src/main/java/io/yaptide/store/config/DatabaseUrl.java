package io.yaptide.store.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A database location as the operator wrote it, parsed once into what JDBC needs.
 *
 * <p>Operators of the original system hold SQLAlchemy URLs ({@code postgresql+psycopg://u:p@h:5432/db},
 * {@code sqlite:///relative.db}), so those are accepted as they are, beside plain {@code jdbc:} URLs.
 * The password is kept apart from the JDBC URL so that {@link #toString()} and every message can show
 * the URL with the password masked.
 */
public final class DatabaseUrl {

    /** The two database engines this system runs on. */
    public enum Kind { POSTGRESQL, SQLITE }

    private static final String MASK = "***";
    private static final AtomicLong MEMORY_COUNTER = new AtomicLong();

    private final String original;
    private final Kind kind;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path sqliteFile; // null for PostgreSQL and in-memory SQLite
    private final List<HostPort> hosts; // PostgreSQL: one, or a primary and its standbys; SQLite: none
    private final String database;

    /** One server of a PostgreSQL URL. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return hostForUrl(host) + ":" + port;
        }
    }

    /** pgjdbc's option choosing among a multi-host URL's servers. */
    public static final String TARGET_SERVER_TYPE = "targetServerType";

    private DatabaseUrl(String original, Kind kind, String jdbcUrl, String user, String password,
                        Path sqliteFile, List<HostPort> hosts, String database) {
        this.original = original;
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.sqliteFile = sqliteFile;
        this.hosts = List.copyOf(hosts);
        this.database = database;
    }

    /**
     * Parses an SQLAlchemy-style or JDBC URL.
     *
     * @throws ConfigException naming the URL (password masked) and the accepted forms
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("empty database URL; give one such as postgresql://user:password@host:5432/db or sqlite:///data/yaptide.db");
        }
        String text = url.strip();
        try {
            if (text.startsWith("jdbc:postgresql:")) {
                return parsePostgres(text, text.substring("jdbc:".length()));
            }
            if (text.startsWith("jdbc:sqlite:")) {
                return parseJdbcSqlite(text);
            }
            String scheme = text.contains(":") ? text.substring(0, text.indexOf(':')) : "";
            if (scheme.equals("postgresql") || scheme.equals("postgres")
                    || scheme.equals("postgresql+psycopg") || scheme.equals("postgresql+psycopg2")
                    || scheme.equals("postgresql+pg8000") || scheme.equals("postgresql+asyncpg")) {
                return parsePostgres(text, "postgresql" + text.substring(scheme.length()));
            }
            if (scheme.equals("sqlite") || scheme.equals("sqlite+pysqlite")) {
                return parseSqlAlchemySqlite(text, text.substring(scheme.length()));
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException("malformed database URL " + maskUrlText(text) + ": " + e.getMessage()
                    + "; expected postgresql://user:password@host:5432/db or sqlite:///path.db");
        }
        throw new ConfigException("unsupported database URL " + maskUrlText(text)
                + "; use postgresql://user:password@host:5432/db, sqlite:///relative.db, sqlite:////abs/path.db, sqlite:// or a jdbc: URL");
    }

    private static DatabaseUrl parsePostgres(String original, String uriText) throws URISyntaxException {
        URI uri = new URI(uriText);
        // The authority is split by hand: java.net.URI silently falls back to a "registry" authority
        // (no host, no port, no user) for text such as "u:p@h:notaport" or "u@", which would turn a
        // typo into a connection to localhost:5432.
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at >= 0 ? authority.substring(0, at) : null;
        String hostList = at >= 0 ? authority.substring(at + 1) : authority;
        // pgjdbc's and libpq's multi-host form: h1:5432,h2:5433 (a primary and its standbys)
        List<HostPort> hosts = new ArrayList<>();
        for (String hostPort : hostList.split(",", -1)) {
            hosts.add(parseHostPort(hostPort, hostList.contains(",")));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.startsWith("/") ? decode(path.substring(1)) : decode(path);
        if (db.isEmpty()) {
            throw new IllegalArgumentException("no database name after the host");
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
            if (user.isEmpty()) {
                user = null;
            }
        }
        Map<String, String> query = parseQuery(uri.getRawQuery());
        // JDBC spelling of the credentials in the query string wins over nothing, loses to user info
        if (user == null && query.containsKey("user")) {
            user = query.get("user");
        }
        if (password == null && query.containsKey("password")) {
            password = query.get("password");
        }
        query.remove("user");
        query.remove("password");
        if ("read-write".equals(query.get("target_session_attrs")) || "primary".equals(query.get("target_session_attrs"))) {
            query.remove("target_session_attrs"); // libpq's spelling (psql, SQLAlchemy with psycopg) of pgjdbc's option
            query.putIfAbsent(TARGET_SERVER_TYPE, "primary");
        }
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> params.add(k + "=" + v));
        if (hosts.size() > 1 && !query.containsKey(TARGET_SERVER_TYPE)) {
            // writes must reach the primary whichever host is listed first, and find it again after a failover
            params.add(TARGET_SERVER_TYPE + "=primary");
        }
        String jdbc = "jdbc:postgresql://" + hostList(hosts) + "/" + db + params;
        return new DatabaseUrl(original, Kind.POSTGRESQL, jdbc, user, password, null, hosts, db);
    }

    private static HostPort parseHostPort(String hostPort, boolean inList) {
        if (inList && hostPort.isBlank()) {
            throw new IllegalArgumentException("an empty host in the host list");
        }
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in the IPv6 host");
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("unexpected text after the IPv6 host");
                }
                portText = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
        }
        host = decode(host);
        if (host.isEmpty()) {
            host = "localhost";
        }
        int port = 5432;
        if (portText != null && !portText.isEmpty()) {
            if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535) {
                throw new IllegalArgumentException("port '" + portText + "' is not a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
        }
        return new HostPort(host, port);
    }

    private static String hostList(List<HostPort> hosts) {
        StringJoiner list = new StringJoiner(",");
        hosts.forEach(h -> list.add(hostForUrl(h.host()) + ":" + h.port()));
        return list.toString();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static DatabaseUrl parseSqlAlchemySqlite(String original, String rest) {
        // sqlite:// (memory), sqlite:///relative.db, sqlite:////abs/path.db, sqlite:///:memory:
        if (!rest.startsWith("://")) {
            throw new IllegalArgumentException("expected sqlite:///path");
        }
        String path = rest.substring(3);
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.isEmpty() || path.equals("/:memory:") || path.equals("/")) {
            return memory(original);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("expected three slashes before a relative path (sqlite:///file.db)");
        }
        return file(original, Path.of(decode(path.substring(1))));
    }

    private static DatabaseUrl parseJdbcSqlite(String original) {
        String path = original.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.isEmpty() || path.equals(":memory:") || path.contains("mode=memory")) {
            return memory(original);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return file(original, Path.of(path));
    }

    private static DatabaseUrl memory(String original) {
        // A named shared-cache database so that every pooled connection sees the same data;
        // jdbc:sqlite::memory: would give each connection its own empty database.
        String name = "yaptide-mem-" + ProcessHandle.current().pid() + "-" + MEMORY_COUNTER.incrementAndGet();
        String jdbc = "jdbc:sqlite:file:" + name + "?mode=memory&cache=shared";
        return new DatabaseUrl(original, Kind.SQLITE, jdbc, null, null, null, List.of(), name);
    }

    private static DatabaseUrl file(String original, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return new DatabaseUrl(original, Kind.SQLITE, "jdbc:sqlite:" + absolute, null, null, absolute,
                List.of(), absolute.getFileName().toString());
    }

    /** The embedded default: an SQLite file under {@code data/} of the working directory. */
    public static DatabaseUrl embeddedDefault(Path dataDir) {
        return file("sqlite:///" + dataDir.resolve("yaptide.db"), dataDir.resolve("yaptide.db"));
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            out.put(key, value);
        }
        return out;
    }

    /** Percent-encodes user info so that a rendered URL parses back to the same credentials. */
    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Masks a password in URL text that could not even be parsed. */
    static String maskUrlText(String text) {
        return text.replaceAll("(://[^:/@]*:)[^@/]*@", "$1" + MASK + "@")
                .replaceAll("(?i)(password=)[^&]*", "$1" + MASK);
    }

    public Kind kind() { return kind; }

    public boolean isPostgres() { return kind == Kind.POSTGRESQL; }

    public boolean isSqlite() { return kind == Kind.SQLITE; }

    public boolean isInMemory() { return kind == Kind.SQLITE && sqliteFile == null; }

    /** The JDBC URL without credentials. */
    public String jdbcUrl() { return jdbcUrl; }

    public Optional<String> user() { return Optional.ofNullable(user); }

    public Optional<String> password() { return Optional.ofNullable(password); }

    public Optional<Path> sqliteFile() { return Optional.ofNullable(sqliteFile); }

    /** The first (or only) server's host; null for SQLite. */
    public String host() { return hosts.isEmpty() ? null : hosts.get(0).host(); }

    /** The first (or only) server's port; 0 for SQLite. */
    public int port() { return hosts.isEmpty() ? 0 : hosts.get(0).port(); }

    /** Every server of a PostgreSQL URL, in the order given (one unless a multi-host URL). */
    public List<HostPort> hosts() { return hosts; }

    public boolean isMultiHost() { return hosts.size() > 1; }

    /**
     * The same database, credentials and options on one of this URL's servers (or another one), without
     * the multi-host choice: for watching or reading from one server in particular.
     */
    public DatabaseUrl forHost(HostPort server) {
        if (!isPostgres()) {
            throw new IllegalStateException("only a PostgreSQL URL has servers");
        }
        int q = jdbcUrl.indexOf('?');
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        if (q >= 0) {
            for (String pair : jdbcUrl.substring(q + 1).split("&")) {
                if (!pair.startsWith(TARGET_SERVER_TYPE + "=") && !pair.startsWith("loadBalanceHosts=")) {
                    params.add(pair);
                }
            }
        }
        String jdbc = "jdbc:postgresql://" + server + "/" + database + params;
        String orig = "postgresql://" + (user == null ? "" : encode(user) + (password == null ? "" : ":" + encode(password)) + "@")
                + server + "/" + database;
        return new DatabaseUrl(orig, kind, jdbc, user, password, null, List.of(server), database);
    }

    /** The database name (PostgreSQL), or the file name / memory name (SQLite). */
    public String database() { return database; }

    /** The URL as the operator gave it. */
    public String original() { return original; }

    /** A copy pointing at another database on the same PostgreSQL server (for scratch copies). */
    public DatabaseUrl withDatabase(String otherDatabase) {
        if (!isPostgres()) {
            throw new IllegalStateException("only a PostgreSQL URL has sibling databases");
        }
        String jdbc = jdbcUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + otherDatabase + "$1");
        String orig = "postgresql://" + (user == null ? "" : encode(user) + (password == null ? "" : ":" + encode(password)) + "@")
                + hostList(hosts) + "/" + otherDatabase;
        return new DatabaseUrl(orig, kind, jdbc, user, password, null, hosts, otherDatabase);
    }

    /** The SQLAlchemy-style URL, password masked unless asked for. */
    public String render(boolean showPassword) {
        if (isSqlite()) {
            return sqliteFile == null ? "sqlite://" : "sqlite:///" + sqliteFile;
        }
        StringBuilder sb = new StringBuilder("postgresql://");
        if (user != null) {
            sb.append(encode(user));
            if (password != null) {
                sb.append(':').append(showPassword ? encode(password) : MASK);
            }
            sb.append('@');
        }
        sb.append(hostList(hosts)).append('/').append(database);
        int q = jdbcUrl.indexOf('?');
        if (q >= 0) {
            // pgjdbc's choice of the primary in libpq's words, so that psql "$(db url)" connects to it too
            sb.append(jdbcUrl.substring(q).replace(TARGET_SERVER_TYPE + "=primary", "target_session_attrs=read-write"));
        }
        return sb.toString();
    }

    /** The JDBC URL with credentials as query parameters, password masked unless asked for. */
    public String renderJdbc(boolean showPassword) {
        if (isSqlite()) {
            return jdbcUrl;
        }
        StringJoiner params = new StringJoiner("&");
        if (user != null) {
            params.add("user=" + user);
        }
        if (password != null) {
            params.add("password=" + (showPassword ? password : MASK));
        }
        if (params.length() == 0) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + params;
    }

    /** Always masked: safe for logs and error messages. */
    @Override
    public String toString() {
        return render(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseUrl other && jdbcUrl.equals(other.jdbcUrl)
                && Objects.equals(user, other.user) && Objects.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jdbcUrl, user);
    }
}
