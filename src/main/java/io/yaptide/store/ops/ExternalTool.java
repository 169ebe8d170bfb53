package io.yaptide.store.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A client program we call (psql, pg_dump, pg_restore, sqlite3), found on the PATH of the given
 * environment, with the package that provides it for the message when it is missing.
 */
public enum ExternalTool {
    PSQL("psql", "postgresql-client"),
    PG_DUMP("pg_dump", "postgresql-client"),
    PG_RESTORE("pg_restore", "postgresql-client"),
    SQLITE3("sqlite3", "sqlite3");

    private final String program;
    private final String debianPackage;

    ExternalTool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    public String program() {
        return program;
    }

    public String debianPackage() {
        return debianPackage;
    }

    public Optional<Path> find(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** "psql is not installed (not on PATH); install it with: apt-get install postgresql-client" */
    public String missingMessage() {
        return program + " is not installed (not found on PATH); install the package " + debianPackage
                + " (Debian/Ubuntu: apt-get install " + debianPackage + ")";
    }
}
