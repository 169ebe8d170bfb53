package io.yaptide.store.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code db revision -m MESSAGE}: writes a new revision file with an upgrade and a rollback part for
 * each database and includes it at the end of master.xml.
 *
 * <p>The template names every constraint and index it shows, in the schema's own convention,
 * because the seed's step 7 broke on constraints PostgreSQL had named by itself: a later revision
 * could not drop what it could not name, and SQLite gives unnamed constraints no name at all.
 */
public final class ChangelogScaffold {

    public static final Path DEFAULT_DIR = Path.of("src", "main", "resources", "db", "changelog");
    static final Pattern INCLUDE = Pattern.compile("<include file=\"([0-9a-f]{12})\\.xml\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChangelogScaffold() {
    }

    /** The new revision: its id, file, and the revision it follows. */
    public record Scaffolded(String id, Path file, String parent) {
    }

    public static Scaffolded create(Path changelogDir, String message) {
        if (message == null || message.isBlank()) {
            throw new OpsException("a revision needs a message: db revision -m \"what it changes\"");
        }
        if (message.contains("--") || message.contains("<") || message.contains("&")) {
            throw new OpsException("the message may not contain '--', '<' or '&' (it goes into an XML comment)");
        }
        Path master = changelogDir.resolve("master.xml");
        if (!Files.isRegularFile(master)) {
            throw new OpsException("no " + master + ": run this in the project directory, or give --dir with the changelog folder");
        }
        try {
            String masterText = Files.readString(master);
            String parent = null;
            Matcher m = INCLUDE.matcher(masterText);
            while (m.find()) {
                parent = m.group(1);
            }
            String id;
            do {
                byte[] b = new byte[6];
                RANDOM.nextBytes(b);
                id = HexFormat.of().formatHex(b);
            } while (Files.exists(changelogDir.resolve(id + ".xml")) || masterText.contains(id));
            Path file = changelogDir.resolve(id + ".xml");
            Files.writeString(file, template(id, parent, message.strip()), StandardCharsets.UTF_8);
            int end = masterText.lastIndexOf("</databaseChangeLog>");
            if (end < 0) {
                Files.delete(file);
                throw new OpsException(master + " has no closing </databaseChangeLog>; fix it first");
            }
            String include = "  <include file=\"" + id + ".xml\" relativeToChangelogFile=\"true\"/>\n";
            Files.writeString(master, masterText.substring(0, end) + include + masterText.substring(end), StandardCharsets.UTF_8);
            return new Scaffolded(id, file, parent);
        } catch (IOException e) {
            throw new OpsException("cannot write the revision into " + changelogDir + ": " + e.getMessage(), e);
        }
    }

    static String template(String id, String parent, String message) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog
                    xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <!--
                    Revision %1$s (after %2$s): %3$s

                    Rules (see master.xml): add, never rename or drop what revision 5003b9acb1f4 has, so the
                    original keeps working. NAME EVERY CONSTRAINT AND INDEX, in the schema's convention:
                      primary key   "<Table>_pkey"             foreign key  "<Table>_<column>_fkey"
                      unique        "uq_<Table>_<columns>"     check        "ck_<Table>_<rule>"
                      index         "ix_<Table>_<columns>"
                    Write the upgrade and its rollback for both databases; SQLite cannot ALTER a constraint,
                    so there a constraint change rebuilds the table (see 3f9d1f1bec46.xml). Then run
                    'bin/yaptide db rehearse' on a copy of production data before merging.

                    Example (replace the statements below with the real change):
                      ALTER TABLE "Simulation" ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;
                      ALTER TABLE "Simulation" ADD CONSTRAINT "ck_Simulation_priority" CHECK (priority >= 0);
                      CREATE INDEX "ix_Simulation_priority" ON "Simulation" (priority);
                  -->
                  <changeSet id="%1$s" author="yaptide" runInTransaction="true">
                    <comment>%3$s</comment>
                    <sql dbms="postgresql" splitStatements="true" endDelimiter=";">
                -- upgrade, PostgreSQL
                CREATE TABLE "Example_%1$s" (
                    id SERIAL NOT NULL,
                    simulation_id INTEGER NOT NULL,
                    CONSTRAINT "Example_%1$s_pkey" PRIMARY KEY (id),
                    CONSTRAINT "Example_%1$s_simulation_id_fkey" FOREIGN KEY (simulation_id) REFERENCES "Simulation" (id) ON DELETE CASCADE
                );
                CREATE INDEX "ix_Example_%1$s_simulation_id" ON "Example_%1$s" (simulation_id);
                    </sql>
                    <sql dbms="sqlite" splitStatements="true" endDelimiter=";">
                -- upgrade, SQLite
                CREATE TABLE "Example_%1$s" (
                    id INTEGER NOT NULL,
                    simulation_id INTEGER NOT NULL,
                    CONSTRAINT "Example_%1$s_pkey" PRIMARY KEY (id),
                    CONSTRAINT "Example_%1$s_simulation_id_fkey" FOREIGN KEY (simulation_id) REFERENCES "Simulation" (id) ON DELETE CASCADE
                );
                CREATE INDEX "ix_Example_%1$s_simulation_id" ON "Example_%1$s" (simulation_id);
                    </sql>
                    <rollback>
                      <sql dbms="postgresql" splitStatements="true" endDelimiter=";">
                -- rollback, PostgreSQL: undo the upgrade in reverse order
                DROP INDEX "ix_Example_%1$s_simulation_id";
                DROP TABLE "Example_%1$s";
                      </sql>
                      <sql dbms="sqlite" splitStatements="true" endDelimiter=";">
                -- rollback, SQLite
                DROP INDEX "ix_Example_%1$s_simulation_id";
                DROP TABLE "Example_%1$s";
                      </sql>
                    </rollback>
                  </changeSet>
                </databaseChangeLog>
                """.formatted(id, parent == null ? "base" : parent, message);
    }
}
