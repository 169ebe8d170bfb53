package io.yaptide.store.users;

import io.yaptide.store.db.Database;
import java.util.List;
import java.util.Optional;

/**
 * Users: the {@code User} table and its two variants. API agreed for issue 3; bodies are filled in
 * by the storage work.
 */
public final class UserStore {
    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** Creates a password user, hashing the password (scrypt, werkzeug format). Fails if the name is taken. */
    public PasswordUser createPasswordUser(String username, String password) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Creates a Keycloak user. Fails if the name is taken for that provider. */
    public KeycloakUser createKeycloakUser(String username, String cert, String privateKey) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<User> findById(long id) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<User> find(String username, AuthProvider provider) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** All users ordered by id. */
    public List<User> list() {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Replaces a password user's password (hashing it); false if no such password user. */
    public boolean updatePassword(String username, String newPassword) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * Checks a password user's credentials; on success an old-format hash (pbkdf2) may be replaced by
     * the current format in place.
     */
    public Optional<PasswordUser> authenticate(String username, String password) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Number of simulations owned by the user. */
    public long countSimulations(long userId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * Deletes a user. Without {@code cascade}, a user who still owns simulations is refused
     * ({@link UserHasSimulationsException}); with it, the simulations and all their data go too.
     *
     * @return false if there was no such user
     */
    public boolean delete(long userId, boolean cascade) {
        throw new UnsupportedOperationException("issue 3");
    }

    Database db() {
        return db;
    }
}
