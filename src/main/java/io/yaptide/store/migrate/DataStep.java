package io.yaptide.store.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.GZIPInputStream;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/**
 * The data part of a revision that has to read the stored gzip JSON (which SQL cannot), run by
 * Liquibase inside the revision's changeSet: on PostgreSQL in the same transaction as its schema
 * change, so a failure leaves the previous revision. Each step's rollback is plain SQL in its
 * changelog.
 */
abstract class DataStep implements CustomTaskChange {

    /** Python's json.dumps writes NaN and Infinity for such floats; the original's pages have them. */
    static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @Override
    public final void execute(Database database) throws CustomChangeException {
        Connection c = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        try {
            run(c);
        } catch (SQLException e) {
            throw new CustomChangeException(getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    abstract void run(Connection c) throws SQLException;

    /** The JSON of a stored payload, or null when there is none or it cannot be read. */
    static JsonNode decode(byte[] gzipJson) {
        if (gzipJson == null || gzipJson.length == 0) {
            return null;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipJson))) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void setUp() {
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
    }

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }
}
