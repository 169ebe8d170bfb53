package io.yaptide.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths to {@code ../shared/fixtures}: real payloads and databases from the original system. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getProperty("yaptide.fixtures");
        Path p = configured != null ? Path.of(configured) : Path.of("..", "shared", "fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath()
                    + "; the shared/ folder must sit beside the checkout");
        }
        return p;
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] readBytes(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
