package io.yaptide.store.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.db.StoreException;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class ClusterStoreTest {

    @DatabaseTest
    void createsFindsAndListsClusters(TestDatabase db) {
        ClusterStore clusters = new ClusterStore(db.database());
        Cluster ares = clusters.create("ares");
        Cluster prometheus = clusters.create("prometheus");

        assertThat(clusters.findById(ares.id())).contains(ares);
        assertThat(clusters.findByName("prometheus")).contains(prometheus);
        assertThat(clusters.findByName("eagle")).isEmpty();
        assertThat(clusters.findById(12345)).isEmpty();
        assertThat(clusters.list()).containsExactly(ares, prometheus);
    }

    @DatabaseTest
    void refusesADuplicateName(TestDatabase db) {
        ClusterStore clusters = new ClusterStore(db.database());
        clusters.create("ares");

        assertThatThrownBy(() -> clusters.create("ares"))
                .isInstanceOf(ClusterExistsException.class).hasMessage("cluster ares already exists");
        assertThatThrownBy(() -> clusters.create(" ")).isInstanceOf(StoreException.Invalid.class);
        assertThat(clusters.list()).hasSize(1);
    }

    @DatabaseTest
    void concurrentCreatesOfOneNameMakeOneCluster(TestDatabase db) throws Exception {
        ClusterStore clusters = new ClusterStore(db.database());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        clusters.create("eagle");
                        return true;
                    } catch (ClusterExistsException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<Boolean> f : outcomes) {
                created += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(clusters.list()).extracting(Cluster::name).containsExactly("eagle");
    }

    @DatabaseTest
    void deletesAnUnusedClusterButNotOneBatchSimulationsUse(TestDatabase db) {
        ClusterStore clusters = new ClusterStore(db.database());
        Cluster ares = clusters.create("ares");
        Cluster eagle = clusters.create("eagle");
        SeedRows.batchSimulation(db.jdbi(), null, ares.id(), 1);

        assertThatThrownBy(() -> clusters.delete(ares.id()))
                .isInstanceOf(ClusterInUseException.class).hasMessage("cluster ares is used by 1 batch simulation(s)");
        assertThat(clusters.delete(eagle.id())).isTrue();
        assertThat(clusters.delete(eagle.id())).isFalse();
        assertThat(clusters.list()).containsExactly(ares);
    }
}
