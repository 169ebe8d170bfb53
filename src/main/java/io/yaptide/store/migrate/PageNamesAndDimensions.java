package io.yaptide.store.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Data step of 5003b9acb1f4: each page's {@code page_name} and {@code page_dimension} from its
 * stored JSON ({@code metadata.name}, {@code dimensions}). Pages are read one at a time (a result
 * page can be megabytes) and written in batches.
 */
public final class PageNamesAndDimensions extends DataStep {

    private static final int BATCH = 200;

    @Override
    void run(Connection c) throws SQLException {
        try (PreparedStatement ids = c.prepareStatement("SELECT id FROM \"Page\" ORDER BY id");
             PreparedStatement read = c.prepareStatement("SELECT compressed_data FROM \"Page\" WHERE id = ?");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE \"Page\" SET page_name = ?, page_dimension = ? WHERE id = ?")) {
            java.util.List<Long> all = new java.util.ArrayList<>();
            try (ResultSet rs = ids.executeQuery()) {
                while (rs.next()) {
                    all.add(rs.getLong(1));
                }
            }
            int pending = 0;
            for (long id : all) {
                read.setLong(1, id);
                JsonNode page;
                try (ResultSet rs = read.executeQuery()) {
                    page = rs.next() ? decode(rs.getBytes(1)) : null;
                }
                JsonNode dimensions = page == null ? null : page.path("dimensions");
                if (dimensions == null || !(dimensions.isNumber() || dimensions.isTextual() && dimensions.asText().strip().matches("-?\\d+"))) {
                    continue; // no data: the defaults stay ('' and 0)
                }
                JsonNode name = page.path("metadata").path("name");
                update.setString(1, name.isMissingNode() || name.isNull() ? "" : name.asText());
                update.setInt(2, dimensions.isNumber() ? dimensions.asInt() : Integer.parseInt(dimensions.asText().strip()));
                update.setLong(3, id);
                update.addBatch();
                if (++pending == BATCH) {
                    update.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "Page.page_name and Page.page_dimension filled from the pages";
    }
}
