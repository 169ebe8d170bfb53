package io.yaptide.store.db;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the connection pool's own figures (active, idle, pending, timeouts, acquire time:
 * {@code hikaricp_connections_*}) to a metrics registry, so that the metrics package need not know
 * which pool {@link Database} runs. A pool can report to one registry only: a second server on the
 * same pool (tests) leaves them where they are. A data source that is no pool (the admin commands'
 * single connection) has no figures.
 */
public final class PoolMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMetrics.class);

    private PoolMetrics() {
    }

    /** @param registry a Micrometer {@code MeterRegistry}, as the pool takes it */
    public static void reportTo(DataSource dataSource, Object registry) {
        if (dataSource instanceof HikariDataSource pool) {
            if (pool.getMetricRegistry() == null) {
                pool.setMetricRegistry(registry);
            } else {
                LOG.debug("pool {} already reports to another registry", pool.getPoolName());
            }
        }
    }
}
