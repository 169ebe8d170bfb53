package io.yaptide.store.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A Redis URL as Celery and redis-py take it: {@code redis://[[user]:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS. Parsed by hand: {@code java.net.URI} finds no host in names with an
 * underscore, such as the original's {@code redis://yaptide_redis:6379/0}.
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {
    public static final int DEFAULT_PORT = 6379;

    /** @throws ConfigException naming the variable, the URL masked, and the accepted form */
    public static RedisUrl parse(String variable, String text) {
        String t = text.strip();
        int schemeEnd = t.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : t.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new ConfigException(variable + " uses '" + scheme + "'; the readiness check can ping only a Redis broker "
                    + "(redis://host:6379/0 or rediss://...)");
        }
        String rest = t.substring(schemeEnd + 3);
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String info = authority.substring(0, at);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            if (colon < 0) { // redis://secret@host: redis-py reads a lone user info as the password
                password = user;
                user = null;
            }
            user = user == null || user.isEmpty() ? null : user;
            authority = authority.substring(at + 1);
        }
        String host = authority;
        int port = DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (host.isBlank() || !host.matches("[A-Za-z0-9._:-]+")) {
            throw new ConfigException(variable + " names no valid host (" + mask(t) + "); use redis://host:6379/0");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException(variable + " has no valid port (" + mask(t) + "); use redis://host:6379/0");
        }
        int database = 0;
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new ConfigException(variable + " names database '" + path + "'; use a number, e.g. redis://host:6379/0");
            }
        }
        return new RedisUrl(host, port, user, password, database, scheme.equals("rediss"));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL text with any password replaced by {@code ***}. */
    public static String mask(String url) {
        return url.replaceAll("(?<=//)([^/@]*?):[^/@]*@", "$1:***@").replaceAll("(?<=//)([^/:@]+)@", "***@");
    }

    /** Host and port, for messages. */
    public String where() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Always masked. */
    @Override
    public String toString() {
        return (tls ? "rediss" : "redis") + "://" + (user == null ? "" : user) + (password == null ? "" : ":***")
                + (user == null && password == null ? "" : "@") + where() + "/" + database;
    }
}
