package io.yaptide.store.users;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.NamedStatement;
import io.yaptide.store.db.SqlErrors;
import io.yaptide.store.db.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Users: the {@code User} table and its two variants, {@code YaptideUser} (password) and
 * {@code KeycloakUser}, joined on the same id.
 *
 * <p>Every read goes through one LEFT JOIN over both variant tables, so a user comes back as the
 * right record in one query, whatever its provider. Writes that touch several tables run in one
 * transaction.
 */
public final class UserStore {

    private static final String SELECT_USER = """
            SELECT u.id, u.username, u.auth_provider, y.password_hash, k.cert, k.private_key
            FROM "User" u
            LEFT JOIN "YaptideUser" y ON y.id = u.id
            LEFT JOIN "KeycloakUser" k ON k.id = u.id
            """;

    private static final RowMapper<User> USER = (rs, ctx) -> mapUser(rs);

    /** Plain JDBC: list-users runs this statement and nothing else, so JDBI is not even loaded for it. */
    private static final NamedStatement LIST = new NamedStatement(SELECT_USER + "ORDER BY u.id");
    /** Plain JDBC too: the user lookup of list-simulations --user, whose other statement is plain JDBC as well. */
    private static final NamedStatement BY_USERNAME = new NamedStatement(SELECT_USER + "WHERE u.username = :username ORDER BY u.id");

    /**
     * Checked when the user name is unknown, so that a login for a missing user costs as much as one
     * for an existing user (no timing hint about which names exist). Made once, lazily.
     */
    private static volatile String dummyHash;

    private final Database db;
    /** Seals Keycloak users' private keys on write; null: they are stored as the original stores them. */
    private final KeyCipher keyCipher;

    public UserStore(Database db) {
        this(db, null);
    }

    /** With a cipher, private keys written are sealed ({@link KeyCipher}); without, stored as they come. */
    public UserStore(Database db, KeyCipher keyCipher) {
        this.db = db;
        this.keyCipher = keyCipher;
    }

    /** Creates a password user, hashing the password (scrypt, werkzeug format). Fails if the name is taken. */
    public PasswordUser createPasswordUser(String username, String password) {
        requireName(username);
        if (password == null || password.isEmpty()) {
            throw new StoreException.Invalid("password must not be empty");
        }
        String hash = PasswordHash.hash(password); // slow: keep it outside the transaction
        long id = insertUser(username, AuthProvider.YAPTIDE, (h, newId) -> h.createUpdate(
                        "INSERT INTO \"YaptideUser\" (id, password_hash) VALUES (:id, :hash)")
                .bind("id", newId).bind("hash", hash).execute());
        return new PasswordUser(id, username, hash);
    }

    /** Creates a Keycloak user. Fails if the name is taken for that provider. */
    public KeycloakUser createKeycloakUser(String username, String cert, String privateKey) {
        requireName(username);
        String[] stored = new String[1];
        long id = insertUser(username, AuthProvider.KEYCLOAK, (h, newId) -> {
            stored[0] = stored(privateKey, newId);
            insertKeycloakRow(h, newId, cert, stored[0]);
        });
        return new KeycloakUser(id, username, cert, stored[0]);
    }

    private static void insertKeycloakRow(Handle h, long id, String cert, String storedKey) {
        h.createUpdate("INSERT INTO \"KeycloakUser\" (id, cert, private_key) VALUES (:id, :cert, :key)")
                .bind("id", id).bind("cert", cert).bind("key", storedKey).execute();
    }

    /** The private key as it goes into the column: sealed when a cipher is configured. */
    private String stored(String privateKey, long userId) {
        return privateKey == null || keyCipher == null ? privateKey : keyCipher.seal(privateKey, userId);
    }

    /**
     * Records a Keycloak login: the user is created when missing; with credentials (the certificate
     * service answered) their cert and key replace the stored ones, without (no certificate service
     * configured) the stored ones are kept. One transaction: a failure writes nothing. A concurrent
     * first login of the same name (the unique constraint refuses one insert) is retried as an update.
     */
    public KeycloakUser saveKeycloakLogin(String username, ClusterCredentials credentials) {
        requireName(username);
        try {
            return saveKeycloakLoginOnce(username, credentials);
        } catch (RuntimeException e) {
            if (!SqlErrors.isUniqueViolation(e)) {
                throw e;
            }
            return saveKeycloakLoginOnce(username, credentials);
        }
    }

    private KeycloakUser saveKeycloakLoginOnce(String username, ClusterCredentials credentials) {
        return db.jdbi().inTransaction(h -> {
            String lock = db.isPostgres() ? " FOR UPDATE" : "";
            Optional<Long> existing = h.createQuery(
                            "SELECT id FROM \"User\" WHERE username = :username AND auth_provider = :provider" + lock)
                    .bind("username", username).bind("provider", AuthProvider.KEYCLOAK.dbValue())
                    .mapTo(Long.class).findOne();
            long id;
            if (existing.isPresent()) {
                id = existing.get();
                if (credentials != null) {
                    int updated = h.createUpdate("UPDATE \"KeycloakUser\" SET cert = :cert, private_key = :key WHERE id = :id")
                            .bind("cert", credentials.cert()).bind("key", stored(credentials.privateKey(), id))
                            .bind("id", id).execute();
                    if (updated == 0) { // a User row without its variant row: complete it
                        insertKeycloakRow(h, id, credentials.cert(), stored(credentials.privateKey(), id));
                    }
                }
            } else {
                id = h.createQuery("""
                                INSERT INTO "User" (username, auth_provider) VALUES (:username, :provider) RETURNING id""")
                        .bind("username", username).bind("provider", AuthProvider.KEYCLOAK.dbValue())
                        .mapTo(Long.class).one();
                insertKeycloakRow(h, id, credentials == null ? null : credentials.cert(),
                        credentials == null ? null : stored(credentials.privateKey(), id));
            }
            return (KeycloakUser) h.createQuery(SELECT_USER + "WHERE u.id = :id").bind("id", id).map(USER).one();
        });
    }

    /**
     * The user's private key in the clear: opened with the configured cipher when it is sealed.
     *
     * @throws KeyCipher.CannotOpen when it is sealed and no cipher, or another key, is configured
     */
    public Optional<String> privateKey(KeycloakUser user) {
        String stored = user.privateKey();
        if (stored == null) {
            return Optional.empty();
        }
        if (KeyCipher.isSealed(stored) && keyCipher == null) {
            throw new KeyCipher.CannotOpen("the key of user " + user.id() + " is sealed and "
                    + KeyCipher.ENV_KEY_FILE + " is not set");
        }
        return Optional.of(keyCipher == null ? stored : keyCipher.open(stored, user.id()));
    }

    private interface VariantInsert {
        void insert(Handle h, long id);
    }

    private long insertUser(String username, AuthProvider provider, VariantInsert variant) {
        try {
            return db.jdbi().inTransaction(h -> {
                boolean taken = h.createQuery("""
                                SELECT COUNT(*) FROM "User" WHERE username = :username AND auth_provider = :provider""")
                        .bind("username", username).bind("provider", provider.dbValue())
                        .mapTo(Long.class).one() > 0;
                if (taken) {
                    throw new UserExistsException(username, provider);
                }
                long id = h.createQuery("""
                                INSERT INTO "User" (username, auth_provider) VALUES (:username, :provider) RETURNING id""")
                        .bind("username", username).bind("provider", provider.dbValue())
                        .mapTo(Long.class).one();
                variant.insert(h, id);
                return id;
            });
        } catch (RuntimeException e) {
            // a concurrent insert of the same name got in between the check and our insert
            if (!(e instanceof UserExistsException) && SqlErrors.isUniqueViolation(e)) {
                throw new UserExistsException(username, provider);
            }
            throw e;
        }
    }

    public Optional<User> findById(long id) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_USER + "WHERE u.id = :id")
                .bind("id", id).map(USER).findOne());
    }

    public Optional<User> find(String username, AuthProvider provider) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_USER + "WHERE u.username = :username AND u.auth_provider = :provider")
                .bind("username", username).bind("provider", provider.dbValue()).map(USER).findOne());
    }

    /** Users of that name for any provider (a name is unique per provider only), ordered by id. */
    public List<User> findByUsername(String username) {
        return BY_USERNAME.queryList(db, name -> (statement, position) -> statement.setString(position, username),
                UserStore::mapUser);
    }

    /** All users ordered by id. */
    public List<User> list() {
        return LIST.queryList(db, NamedStatement.NONE, UserStore::mapUser);
    }

    /** Replaces a password user's password (hashing it); false if no such password user. */
    public boolean updatePassword(String username, String newPassword) {
        if (newPassword == null || newPassword.isEmpty()) {
            throw new StoreException.Invalid("password must not be empty");
        }
        String hash = PasswordHash.hash(newPassword);
        return db.jdbi().withHandle(h -> h.createUpdate("""
                        UPDATE "YaptideUser" SET password_hash = :hash
                        WHERE id = (SELECT id FROM "User" WHERE username = :username AND auth_provider = :provider)""")
                .bind("hash", hash).bind("username", username).bind("provider", AuthProvider.YAPTIDE.dbValue())
                .execute()) > 0;
    }

    /**
     * Checks a password user's credentials; on success an old-format hash (pbkdf2) is replaced by the
     * current format in place. The replacement is a compare-and-set on the old hash, so a password
     * changed concurrently is never overwritten by the upgrade.
     */
    public Optional<PasswordUser> authenticate(String username, String password) {
        Optional<PasswordUser> found = find(username, AuthProvider.YAPTIDE)
                .filter(PasswordUser.class::isInstance).map(PasswordUser.class::cast);
        if (found.isEmpty()) {
            PasswordHash.verify(dummyHash(), password == null ? "" : password);
            return Optional.empty();
        }
        PasswordUser user = found.get();
        if (!PasswordHash.verify(user.passwordHash(), password)) {
            return Optional.empty();
        }
        if (!PasswordHash.needsRehash(user.passwordHash())) {
            return found;
        }
        String upgraded = PasswordHash.hash(password);
        int changed = db.jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE \"YaptideUser\" SET password_hash = :new WHERE id = :id AND password_hash = :old")
                .bind("new", upgraded).bind("id", user.id()).bind("old", user.passwordHash()).execute());
        return Optional.of(changed == 1 ? new PasswordUser(user.id(), user.username(), upgraded) : user);
    }

    /** Number of simulations owned by the user. */
    public long countSimulations(long userId) {
        return db.jdbi().withHandle(h -> countSimulations(h, userId));
    }

    private static long countSimulations(Handle h, long userId) {
        return h.createQuery("SELECT COUNT(*) FROM \"Simulation\" WHERE user_id = :id")
                .bind("id", userId).mapTo(Long.class).one();
    }

    /**
     * Deletes a user. Without {@code cascade}, a user who still owns simulations is refused
     * ({@link UserHasSimulationsException}); with it, the simulations and all their data go too.
     *
     * <p>{@code Simulation.user_id} has no ON DELETE CASCADE, so the simulations are deleted first
     * (their tasks, inputs, estimators, pages and log files follow by the schema's cascades), then
     * the user (its variant row follows), all in one transaction. On PostgreSQL the user row is
     * locked first, so no simulation can be added for the user between the count and the delete.
     *
     * @return false if there was no such user
     */
    public boolean delete(long userId, boolean cascade) {
        return db.jdbi().inTransaction(h -> {
            String lock = db.isPostgres() ? " FOR UPDATE" : "";
            Optional<String> username = h.createQuery("SELECT username FROM \"User\" WHERE id = :id" + lock)
                    .bind("id", userId).mapTo(String.class).findOne();
            if (username.isEmpty()) {
                return false;
            }
            long simulations = countSimulations(h, userId);
            if (simulations > 0) {
                if (!cascade) {
                    throw new UserHasSimulationsException(username.get(), simulations);
                }
                h.createUpdate("DELETE FROM \"Simulation\" WHERE user_id = :id").bind("id", userId).execute();
            }
            return h.createUpdate("DELETE FROM \"User\" WHERE id = :id").bind("id", userId).execute() == 1;
        });
    }

    private static User mapUser(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        String username = rs.getString("username");
        return switch (AuthProvider.fromDb(rs.getString("auth_provider"))) {
            case YAPTIDE -> new PasswordUser(id, username, rs.getString("password_hash"));
            case KEYCLOAK -> new KeycloakUser(id, username, rs.getString("cert"), rs.getString("private_key"));
        };
    }

    private static void requireName(String username) {
        if (username == null || username.isBlank()) {
            throw new StoreException.Invalid("user name must not be empty");
        }
    }

    private static String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = PasswordHash.hash("not a real password");
            dummyHash = h;
        }
        return h;
    }

    Database db() {
        return db;
    }
}
