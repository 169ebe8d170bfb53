package io.yaptide.store.migrate;

import io.yaptide.store.results.EstimatorNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Data step of 41149fa64bd2: {@code file_name} takes the stored name; {@code name} becomes the name
 * the user sees: for a FLUKA job made in the editor, the project's output the file was named after
 * ({@link EstimatorNames#shownName}, matched by name where the original goes by position);
 * otherwise the stored name without its trailing underscores, as the original does.
 */
public final class EstimatorFileNames extends DataStep {

    @Override
    void run(Connection c) throws SQLException {
        try (PreparedStatement sims = c.prepareStatement("""
                SELECT s.id, s.sim_type, s.input_type,
                       (SELECT i.compressed_data FROM "Input" i WHERE i.simulation_id = s.id ORDER BY i.id LIMIT 1)
                FROM "Simulation" s WHERE EXISTS (SELECT 1 FROM "Estimator" e WHERE e.simulation_id = s.id)""");
             PreparedStatement estimators = c.prepareStatement(
                     "SELECT id, name FROM \"Estimator\" WHERE simulation_id = ? ORDER BY id");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE \"Estimator\" SET file_name = ?, name = ? WHERE id = ?");
             ResultSet rs = sims.executeQuery()) {
            while (rs.next()) {
                boolean flukaEditor = "fluka".equalsIgnoreCase(rs.getString(2)) && "EDITOR".equalsIgnoreCase(rs.getString(3));
                List<String> outputs = flukaEditor ? EstimatorNames.outputNames(decode(rs.getBytes(4))) : List.of();
                estimators.setLong(1, rs.getLong(1));
                try (ResultSet e = estimators.executeQuery()) {
                    while (e.next()) {
                        String fileName = e.getString(2);
                        update.setString(1, fileName);
                        update.setString(2, EstimatorNames.shownName(fileName, outputs));
                        update.setLong(3, e.getLong(1));
                        update.addBatch();
                    }
                }
            }
            update.executeBatch();
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "Estimator.file_name filled, names taken from the editor projects";
    }
}
