package io.yaptide.store.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.CascadeCounts;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.NewSimulation;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulatorType;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.util.Map;

class UserStoreTest {

    @DatabaseTest
    void createsAPasswordUserStoringOnlyAScryptHash(TestDatabase db) {
        UserStore users = new UserStore(db.database());

        PasswordUser created = users.createPasswordUser("anna", "s3cret-Pass");

        assertThat(created.id()).isPositive();
        assertThat(created.passwordHash()).startsWith("scrypt:32768:8:1$").doesNotContain("s3cret-Pass");
        String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM \"YaptideUser\" WHERE id = :id")
                .bind("id", created.id()).mapTo(String.class).one());
        assertThat(stored).isEqualTo(created.passwordHash());
        assertThat(PasswordHash.verify(stored, "s3cret-Pass")).isTrue();
    }

    @DatabaseTest
    void loadsEachUserAsItsOwnVariant(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna", "pw-anna");
        KeycloakUser kc = users.createKeycloakUser("plgkc", "CERT", "KEY");

        assertThat(users.findById(anna.id())).get().isInstanceOf(PasswordUser.class).isEqualTo(anna);
        assertThat(users.findById(kc.id())).get().isInstanceOf(KeycloakUser.class)
                .satisfies(u -> assertThat(((KeycloakUser) u).cert()).isEqualTo("CERT"))
                .satisfies(u -> assertThat(((KeycloakUser) u).privateKey()).isEqualTo("KEY"));
        assertThat(users.find("anna", AuthProvider.YAPTIDE)).contains(anna);
        assertThat(users.find("anna", AuthProvider.KEYCLOAK)).isEmpty();
        assertThat(users.find("plgkc", AuthProvider.KEYCLOAK)).contains(kc);
        assertThat(users.findById(9999)).isEmpty();
        assertThat(users.list()).containsExactly(anna, kc);
    }

    @DatabaseTest
    void theSameNameMayExistOncePerProvider(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        users.createPasswordUser("same", "pw");
        users.createKeycloakUser("same", null, null);

        assertThatThrownBy(() -> users.createPasswordUser("same", "other"))
                .isInstanceOf(UserExistsException.class).hasMessage("YaptideUser: same already exists");
        assertThatThrownBy(() -> users.createKeycloakUser("same", "c", "k")).isInstanceOf(UserExistsException.class);
        assertThat(users.findByUsername("same")).extracting(User::authProvider)
                .containsExactly(AuthProvider.YAPTIDE, AuthProvider.KEYCLOAK);
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 2L).containsEntry("YaptideUser", 1L)
                .containsEntry("KeycloakUser", 1L);
    }

    @DatabaseTest
    void rejectsEmptyNamesAndPasswords(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        assertThatThrownBy(() -> users.createPasswordUser(" ", "pw")).isInstanceOf(StoreException.Invalid.class);
        assertThatThrownBy(() -> users.createPasswordUser("x", "")).isInstanceOf(StoreException.Invalid.class);
        assertThat(users.list()).isEmpty();
    }

    @DatabaseTest
    void authenticatesWithTheRightPasswordOnly(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        users.createPasswordUser("anna", "right");
        users.createKeycloakUser("kc", null, null);

        assertThat(users.authenticate("anna", "right")).get().extracting(PasswordUser::username).isEqualTo("anna");
        assertThat(users.authenticate("anna", "wrong")).isEmpty();
        assertThat(users.authenticate("nobody", "right")).isEmpty();
        assertThat(users.authenticate("kc", "anything")).isEmpty();
    }

    @DatabaseTest
    void aSuccessfulLoginReplacesAPbkdf2HashWithScryptAndTheOldPasswordStillWorks(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna.kowalski", "placeholder");
        // the original's pbkdf2 hash and password for this user, from the fixture database
        String pbkdf2 = OriginalDatabases.postgresRows("YaptideUser").get(0).get("password_hash");
        String password = OriginalCredentials.logins().get(0).password();
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"YaptideUser\" SET password_hash = :h WHERE id = :id")
                .bind("h", pbkdf2).bind("id", anna.id()).execute());

        assertThat(users.authenticate("anna.kowalski", "wrong")).isEmpty();
        assertThat(storedHash(db, anna.id())).isEqualTo(pbkdf2); // a failed login changes nothing

        PasswordUser in = users.authenticate("anna.kowalski", password).orElseThrow();
        assertThat(in.passwordHash()).startsWith("scrypt:32768:8:1$");
        assertThat(storedHash(db, anna.id())).isEqualTo(in.passwordHash());
        assertThat(users.authenticate("anna.kowalski", password)).get()
                .extracting(PasswordUser::passwordHash).isEqualTo(in.passwordHash()); // no second rewrite
    }

    @DatabaseTest
    void updatesAPasswordUsersPassword(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        users.createPasswordUser("anna", "old");
        users.createKeycloakUser("kc", null, null);

        assertThat(users.updatePassword("anna", "new")).isTrue();
        assertThat(users.authenticate("anna", "old")).isEmpty();
        assertThat(users.authenticate("anna", "new")).isPresent();
        assertThat(users.updatePassword("nobody", "x")).isFalse();
        assertThat(users.updatePassword("kc", "x")).isFalse();
    }

    @DatabaseTest
    void refusesToDeleteAUserWhoOwnsSimulationsWithoutCascade(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna", "pw");
        SeedRows.directSimulation(db.jdbi(), anna.id(), 2);
        SeedRows.directSimulation(db.jdbi(), anna.id(), 1);
        Map<String, Long> before = SeedRows.counts(db.jdbi());

        assertThatThrownBy(() -> users.delete(anna.id(), false))
                .isInstanceOf(UserHasSimulationsException.class)
                .hasMessage("user anna still owns 2 simulation(s)")
                .extracting(e -> ((UserHasSimulationsException) e).simulations()).isEqualTo(2L);
        assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);
        assertThat(users.countSimulations(anna.id())).isEqualTo(2);
    }

    @DatabaseTest
    void deletesAUserWithoutSimulationsAndItsVariantRow(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna", "pw");
        KeycloakUser kc = users.createKeycloakUser("kc", "c", "k");

        assertThat(users.delete(anna.id(), false)).isTrue();
        assertThat(users.delete(kc.id(), true)).isTrue();
        assertThat(users.delete(anna.id(), false)).isFalse();
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 0L).containsEntry("YaptideUser", 0L)
                .containsEntry("KeycloakUser", 0L);
    }

    @DatabaseTest
    void aCascadeDeleteRemovesTheUsersSimulationsAndAllTheirDataButNothingElse(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna", "pw");
        KeycloakUser other = users.createKeycloakUser("other", null, null);
        long cluster = new ClusterStore(db.database()).create("ares").id();
        long direct = SeedRows.directSimulation(db.jdbi(), anna.id(), 3);
        long batch = SeedRows.batchSimulation(db.jdbi(), anna.id(), cluster, 2);
        SeedRows.input(db.jdbi(), direct, Payload.ofJson(Map.of("a", 1)));
        SeedRows.resultsAndLogs(db.jdbi(), direct, 4);
        long kept = SeedRows.directSimulation(db.jdbi(), other.id(), 1);
        SeedRows.resultsAndLogs(db.jdbi(), kept, 2);

        assertThat(new SimulationStore(db.database()).cascadeOfUser(anna.id())).isEqualTo(new CascadeCounts(2, 5, 1, 1, 4, 1));
        assertThat(users.delete(anna.id(), true)).isTrue();

        assertThat(users.findById(anna.id())).isEmpty();
        assertThat(SeedRows.counts(db.jdbi())).containsAllEntriesOf(Map.ofEntries(
                Map.entry("User", 1L), Map.entry("YaptideUser", 0L), Map.entry("KeycloakUser", 1L),
                Map.entry("Simulation", 1L), Map.entry("CelerySimulation", 1L), Map.entry("BatchSimulation", 0L),
                Map.entry("Task", 1L), Map.entry("CeleryTask", 1L), Map.entry("BatchTask", 0L),
                Map.entry("Input", 0L), Map.entry("Estimator", 1L), Map.entry("Page", 2L), Map.entry("Logfiles", 1L),
                Map.entry("Cluster", 1L)));
        assertThat(new SimulationStore(db.database()).cascadeOfUser(other.id())).isEqualTo(new CascadeCounts(1, 1, 0, 1, 2, 1));
        assertThat(new SimulationStore(db.database()).cascadeOfUser(anna.id()).isEmpty()).isTrue();
    }

    @DatabaseTest
    void aCascadeDeleteRemovesWhatTheStoresCreatedForTheUser(TestDatabase db) throws Exception {
        UserStore users = new UserStore(db.database());
        SimulationStore simulations = new SimulationStore(db.database());
        ResultStore results = new ResultStore(db.database());
        PasswordUser anna = users.createPasswordUser("anna", "pw");
        long cluster = new ClusterStore(db.database()).create("ares").id();
        long direct = simulations.create(new NewSimulation("job-1DIRECT", anna.id(), "t", Platform.DIRECT, InputType.EDITOR,
                SimulatorType.SHIELDHIT, null, 4, 100, Payload.ofJson(Map.of("a", 1)), null)).simulation().id();
        simulations.create(new NewSimulation("job-2BATCH", anna.id(), "t", Platform.BATCH, InputType.FILES,
                SimulatorType.FLUKA, cluster, 3, 100, Payload.ofJson(Map.of("b", 2)), null));
        results.storeResults(direct, ResultSetCodec.decode(Fixtures.readBytes("json_with_results.json")));
        results.storeLogfiles(direct, Payload.ofJson(Map.of("log", "x")));

        assertThat(new SimulationStore(db.database()).cascadeOfUser(anna.id())).isEqualTo(new CascadeCounts(2, 7, 2, 4, 21, 1));
        assertThatThrownBy(() -> users.delete(anna.id(), false)).isInstanceOf(UserHasSimulationsException.class);
        assertThat(users.delete(anna.id(), true)).isTrue();

        Map<String, Long> counts = SeedRows.counts(db.jdbi());
        counts.remove("Cluster");
        assertThat(counts.values()).as(counts.toString()).containsOnly(0L);
        assertThat(simulations.findByJobId("job-1DIRECT")).isEmpty();
    }

    private static String storedHash(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM \"YaptideUser\" WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }
}
