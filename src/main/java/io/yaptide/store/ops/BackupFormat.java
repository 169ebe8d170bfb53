package io.yaptide.store.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The kinds of backup file, told apart by their first bytes so that restore needs no option. */
public enum BackupFormat {
    /** pg_dump custom format ({@code PGDMP}), restored by pg_restore. */
    PG_CUSTOM,
    /** An SQLite database file: a consistent copy of the live file. */
    SQLITE_FILE,
    /** Our own engine-neutral gzip JSON-lines dump (see {@link PortableDump}). */
    PORTABLE;

    public static BackupFormat detect(Path file) {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new OpsException("cannot read backup " + file + ": " + e.getMessage(), e);
        }
        if (n >= 5 && new String(head, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("PGDMP")) {
            return PG_CUSTOM;
        }
        if (n >= 16 && Arrays.equals(Arrays.copyOf(head, 16), "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return SQLITE_FILE;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return PORTABLE;
        }
        throw new OpsException(file + " is not a backup this tool wrote (neither a pg_dump custom file, an SQLite file "
                + "nor a portable dump)");
    }
}
