package io.yaptide.store.migrate;

import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises migration commands across processes, and cannot go stale.
 *
 * <p>Liquibase's own lock is a row in a table: a process killed while holding it leaves the
 * database locked until someone runs {@code releaseLocks} by hand. This lock is held by something
 * the operating system or the server releases when the holder dies: a session-level advisory lock
 * on PostgreSQL (released when the connection drops) and an OS file lock beside the SQLite file
 * (released when the process exits). While we hold it no other migrator of ours can run, so a
 * Liquibase lock row found then is stale by definition and is cleared.
 */
final class MigrationLock implements AutoCloseable {

    /** Arbitrary constant key for pg_advisory_lock: "yaptide" in ASCII, folded into a bigint. */
    static final long ADVISORY_KEY = 0x79617074696465L;
    private static final ReentrantLock IN_MEMORY = new ReentrantLock();
    /**
     * One in-JVM lock per SQLite file, taken before the file lock: FileChannel.lock is held per JVM,
     * so a second migrator in the same JVM would get OverlappingFileLockException instead of waiting.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> PER_FILE = new ConcurrentHashMap<>();

    private final Runnable release;

    private MigrationLock(Runnable release) {
        this.release = release;
    }

    static MigrationLock acquire(DatabaseUrl url, Connection connection) {
        try {
            if (url.isPostgres()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(" + ADVISORY_KEY + ")");
                }
                return new MigrationLock(() -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SELECT pg_advisory_unlock(" + ADVISORY_KEY + ")");
                    } catch (SQLException ignored) {
                        // the lock goes with the connection anyway
                    }
                });
            }
            if (url.isInMemory()) {
                IN_MEMORY.lock();
                return new MigrationLock(IN_MEMORY::unlock);
            }
            Path file = url.sqliteFile().orElseThrow().toAbsolutePath().normalize();
            ReentrantLock inJvm = PER_FILE.computeIfAbsent(file, f -> new ReentrantLock());
            inJvm.lock();
            try {
                Path lockFile = file.resolveSibling(file.getFileName() + ".migrate-lock");
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock();
                return new MigrationLock(() -> {
                    try {
                        lock.release();
                        channel.close();
                    } catch (IOException ignored) {
                        // closing releases it
                    } finally {
                        inJvm.unlock();
                    }
                });
            } catch (IOException | RuntimeException e) {
                inJvm.unlock();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new MigrationException("cannot take the migration lock on " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
