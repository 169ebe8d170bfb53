package io.yaptide.store.simulations;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.StoreException;

/**
 * The one component that issues, checks, rotates and upgrades simulations' update keys
 * ({@code Simulation.update_key_hash}); {@link UpdateKey} is the key and hash format it uses.
 *
 * <p>A check is one indexed read and a SHA-256. A key the original stored as a werkzeug password
 * hash is verified once, slowly, and then replaced by the fast format, with an UPDATE guarded by
 * the old hash, so a key rotated in the meantime is never overwritten. (The worker's hot path,
 * {@code TaskStore.updateWithKey}, compares the fast hash inside its own UPDATE and falls back to
 * {@link #check} when that refuses.)
 */
public final class UpdateKeys {

    /** What a presented key is worth. */
    public enum Check {
        ACCEPTED,
        WRONG_KEY,
        NO_SUCH_SIMULATION
    }

    /** A fresh key, shown once, and the hash that is stored. */
    record Issued(String key, String hash) {
        @Override
        public String toString() {
            return "Issued[key=***]";
        }
    }

    private final Database db;

    public UpdateKeys(Database db) {
        this.db = db;
    }

    /** A new key for a simulation being created (the caller stores the hash in its INSERT). */
    static Issued issue() {
        String key = UpdateKey.generate();
        return new Issued(key, UpdateKey.hash(key));
    }

    /**
     * Gives the simulation a fresh update key, stores only its hash, returns the key (shown once).
     *
     * @throws StoreException.NotFound if there is no such simulation
     */
    public String rotate(long simulationId) {
        Issued issued = issue();
        int rows = db.jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE \"Simulation\" SET update_key_hash = :hash WHERE id = :id")
                .bind("id", simulationId).bind("hash", issued.hash()).execute());
        if (rows != 1) {
            throw new StoreException.NotFound("simulation " + simulationId + " does not exist");
        }
        return issued.key();
    }

    /** Checks a worker's key for this simulation, upgrading a key the original stored once it verified. */
    public Check check(long simulationId, String updateKey) {
        // COALESCE: a simulation without a stored hash (NULL) exists, and no key opens it
        var stored = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COALESCE(update_key_hash, '') FROM \"Simulation\" WHERE id = :id")
                .bind("id", simulationId).mapTo(String.class).findOne());
        if (stored.isEmpty()) {
            return Check.NO_SUCH_SIMULATION;
        }
        String hash = stored.get();
        if (updateKey == null || updateKey.isEmpty() || hash.isEmpty() || !UpdateKey.verify(hash, updateKey)) {
            return Check.WRONG_KEY;
        }
        if (UpdateKey.isLegacy(hash)) {
            db.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE \"Simulation\" SET update_key_hash = :fast WHERE id = :id AND update_key_hash = :legacy")
                    .bind("id", simulationId)
                    .bind("fast", UpdateKey.hash(updateKey))
                    .bind("legacy", hash)
                    .execute());
        }
        return Check.ACCEPTED;
    }
}
