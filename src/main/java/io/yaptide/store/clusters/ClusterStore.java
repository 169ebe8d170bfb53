package io.yaptide.store.clusters;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.SqlErrors;
import io.yaptide.store.db.StoreException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Clusters. The schema (the original's) has no unique constraint on {@code cluster_name}; names are
 * kept unique here, by checking inside the inserting transaction, which holds a table lock on
 * PostgreSQL (SQLite's IMMEDIATE write transactions already run one at a time).
 */
public final class ClusterStore {
    private static final RowMapper<Cluster> CLUSTER = (rs, ctx) -> new Cluster(rs.getLong("id"), rs.getString("cluster_name"));

    private final Database db;

    public ClusterStore(Database db) {
        this.db = db;
    }

    /** Registers a cluster; {@link ClusterExistsException} if the name is taken. */
    public Cluster create(String name) {
        if (name == null || name.isBlank()) {
            throw new StoreException.Invalid("cluster name must not be empty");
        }
        return db.jdbi().inTransaction(h -> {
            if (db.isPostgres()) {
                // no unique constraint to lean on: two creators of one name must not both pass the check
                // (the lock conflicts only with itself and writers of Cluster; readers go on)
                h.execute("LOCK TABLE \"Cluster\" IN SHARE ROW EXCLUSIVE MODE");
            }
            if (h.createQuery("SELECT COUNT(*) FROM \"Cluster\" WHERE cluster_name = :name")
                    .bind("name", name).mapTo(Long.class).one() > 0) {
                throw new ClusterExistsException(name);
            }
            long id = h.createQuery("INSERT INTO \"Cluster\" (cluster_name) VALUES (:name) RETURNING id")
                    .bind("name", name).mapTo(Long.class).one();
            return new Cluster(id, name);
        });
    }

    public Optional<Cluster> findById(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, cluster_name FROM \"Cluster\" WHERE id = :id")
                .bind("id", id).map(CLUSTER).findOne());
    }

    /** The cluster of that name (the oldest, should a database from elsewhere hold duplicates). */
    public Optional<Cluster> findByName(String name) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, cluster_name FROM \"Cluster\" WHERE cluster_name = :name ORDER BY id")
                .bind("name", name).map(CLUSTER).findFirst());
    }

    /** All clusters ordered by id. */
    public List<Cluster> list() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, cluster_name FROM \"Cluster\" ORDER BY id")
                .map(CLUSTER).list());
    }

    /**
     * Removes a cluster no batch simulation uses; {@link ClusterInUseException} otherwise.
     *
     * @return false if there was no such cluster
     */
    public boolean delete(long id) {
        try {
            return db.jdbi().inTransaction(h -> {
                Optional<String> name = h.createQuery("SELECT cluster_name FROM \"Cluster\" WHERE id = :id")
                        .bind("id", id).mapTo(String.class).findOne();
                if (name.isEmpty()) {
                    return false;
                }
                long used = h.createQuery("SELECT COUNT(*) FROM \"BatchSimulation\" WHERE cluster_id = :id")
                        .bind("id", id).mapTo(Long.class).one();
                if (used > 0) {
                    throw new ClusterInUseException(name.get(), used);
                }
                return h.createUpdate("DELETE FROM \"Cluster\" WHERE id = :id").bind("id", id).execute() == 1;
            });
        } catch (RuntimeException e) {
            if (!(e instanceof ClusterInUseException) && SqlErrors.isForeignKeyViolation(e)) {
                // a batch simulation was created on it between the check and the delete
                long used = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM \"BatchSimulation\" WHERE cluster_id = :id").bind("id", id).mapTo(Long.class).one());
                throw new ClusterInUseException(findById(id).map(Cluster::name).orElse("#" + id), used);
            }
            throw e;
        }
    }

    Database db() {
        return db;
    }
}
