package io.yaptide.store.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.config.DatabaseUrl;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pgAdmin {@code servers.json} registering one PostgreSQL database, the file pgAdmin loads at its
 * first start ({@code PGADMIN_SERVER_JSON_FILE}) or with {@code setup.py load-servers}. pgAdmin
 * never imports passwords, so none is written: pgAdmin asks for it on the first connection (and can
 * save it), or reads it from a passfile in libpq's {@code .pgpass} format when one is named.
 */
public final class PgadminServers {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SSLMODE = Pattern.compile("[?&]sslmode=([a-z-]+)");

    private PgadminServers() {
    }

    /**
     * @param passfile where pgAdmin finds the password (absolute in desktop mode; relative to the user's
     *                 storage directory in server mode), or null to let pgAdmin ask
     * @throws IllegalArgumentException for a database pgAdmin cannot browse (SQLite)
     */
    public static String json(DatabaseUrl url, String passfile) {
        if (!url.isPostgres()) {
            throw new IllegalArgumentException("pgAdmin browses PostgreSQL only; " + url
                    + " is SQLite: use bin/yaptide db shell (sqlite3) instead");
        }
        String host = url.host() == null || url.host().isBlank() ? "localhost" : url.host();
        String user = url.user().orElse("postgres");
        String sslmode = sslmode(url);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode server = root.putObject("Servers").putObject("1");
        server.put("Name", "Yaptide (" + url.database() + " on " + host + ")");
        server.put("Group", "Yaptide");
        server.put("Host", host);
        server.put("Port", url.port() > 0 ? url.port() : 5432);
        server.put("MaintenanceDB", url.database());
        server.put("Username", user);
        server.put("SSLMode", sslmode); // pgAdmin before 7 reads this; later versions ConnectionParameters
        ObjectNode params = server.putObject("ConnectionParameters");
        params.put("sslmode", sslmode);
        params.put("connect_timeout", 10);
        if (passfile != null && !passfile.isBlank()) {
            params.put("passfile", passfile);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL's {@code sslmode} if it names one, else libpq's default, {@code prefer}. */
    static String sslmode(DatabaseUrl url) {
        Matcher m = SSLMODE.matcher(url.jdbcUrl());
        return m.find() ? m.group(1) : "prefer";
    }

    /** One {@code .pgpass} line for the database: {@code host:port:database:user:password}, with {@code :} and {@code \} escaped. */
    public static String pgpassLine(DatabaseUrl url) {
        String host = url.host() == null || url.host().isBlank() ? "localhost" : url.host();
        return String.join(":", escape(host), Integer.toString(url.port() > 0 ? url.port() : 5432), escape(url.database()),
                escape(url.user().orElse("postgres")), escape(url.password().orElse("")));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }
}
