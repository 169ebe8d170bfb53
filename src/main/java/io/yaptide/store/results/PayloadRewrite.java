package io.yaptide.store.results;

import io.yaptide.store.db.Database;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Rewrites, once, the stored documents that are not in the spliceable form ({@link SpliceableGzip}):
 * those the original stored (gzip level 9) or earlier versions of this service wrote. Each decodes
 * to the same bytes afterwards, and the original still reads it; the service then serves it inside
 * its one-member gzip answers without recompressing it on every read.
 *
 * <p>Batches of rows in id order, one transaction each; a row is replaced only if it still holds
 * the bytes that were read (a concurrent change wins). Rows already in the form are skipped, so the
 * rewrite can be stopped at any point and run again: it is idempotent and resumes where it stopped.
 */
public final class PayloadRewrite {
    public static final int DEFAULT_BATCH_SIZE = 200;
    /** The payload tables, each with an integer id and a compressed_data column. */
    static final List<String> TABLES = List.of("Input", "Estimator", "Page", "Logfiles");

    /** What a run did to one table (or to all). */
    public record Counts(long rewritten, long alreadySpliceable, long unreadable, long bytesBefore, long bytesAfter) {
        Counts plus(Counts o) {
            return new Counts(rewritten + o.rewritten, alreadySpliceable + o.alreadySpliceable, unreadable + o.unreadable,
                    bytesBefore + o.bytesBefore, bytesAfter + o.bytesAfter);
        }

        static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    private record Row(long id, byte[] data) {
    }

    private final Database db;

    public PayloadRewrite(Database db) {
        this.db = db;
    }

    /**
     * Rewrites every table; {@code report} gets each table's counts when it is done.
     *
     * @param dryRun count only, write nothing
     */
    public Counts run(int batchSize, boolean dryRun, BiConsumer<String, Counts> report) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1");
        }
        Counts total = Counts.NONE;
        for (String table : TABLES) {
            Counts counts = table(table, batchSize, dryRun);
            report.accept(table, counts);
            total = total.plus(counts);
        }
        return total;
    }

    private Counts table(String table, int batchSize, boolean dryRun) {
        Counts counts = Counts.NONE;
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<Row> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT id, compressed_data FROM \"" + table
                            + "\" WHERE id > :after AND compressed_data IS NOT NULL ORDER BY id LIMIT :n")
                    .bind("after", from).bind("n", batchSize)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getBytes(2))).list());
            if (rows.isEmpty()) {
                return counts;
            }
            after = rows.get(rows.size() - 1).id();
            counts = counts.plus(rewrite(table, rows, dryRun));
        }
    }

    private Counts rewrite(String table, List<Row> rows, boolean dryRun) {
        return db.jdbi().inTransaction(h -> {
            long rewritten = 0;
            long skipped = 0;
            long unreadable = 0;
            long before = 0;
            long afterBytes = 0;
            for (Row row : rows) {
                Payload stored = Payload.ofCompressed(row.data());
                if (stored.isSpliceable()) {
                    skipped++;
                    continue;
                }
                byte[] text;
                try {
                    text = stored.jsonBytes();
                } catch (java.io.UncheckedIOException notGzip) {
                    unreadable++; // left as it is; db check and the reads report it
                    continue;
                }
                byte[] ours = Payload.ofJsonBytes(text).compressed();
                if (!Arrays.equals(Payload.ofCompressed(ours).jsonBytes(), text)) {
                    throw new IllegalStateException("rewritten " + table + " " + row.id() + " does not decode to the same text");
                }
                before += row.data().length;
                afterBytes += ours.length;
                rewritten++;
                if (!dryRun) {
                    h.createUpdate("UPDATE \"" + table + "\" SET compressed_data = :ours WHERE id = :id AND compressed_data = :old")
                            .bind("ours", ours).bind("id", row.id()).bind("old", row.data()).execute();
                }
            }
            return new Counts(rewritten, skipped, unreadable, before, afterBytes);
        });
    }
}
