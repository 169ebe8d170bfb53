package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.migrate.ExpectedSchema;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.migrate.SchemaDiagram;
import io.yaptide.store.migrate.SchemaSnapshot;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code db check} and {@code db diagram}: the live schema against the migrations, and drawn. */
final class SchemaCommands {

    private SchemaCommands() {
    }

    @Command(name = "check", description = {
            "Compare the live schema with what the migrations produce at the database's current revision",
            "(built in a scratch database: a temporary SQLite file, or a temporary database on the same",
            "PostgreSQL server, dropped afterwards). Prints each difference; exit code 6 when there is any."})
    static final class Check extends DbCommand.DbSubcommand {
        @Override
        public Integer call() {
            Migrator m = migrator();
            DatabaseUrl url = resolved().url();
            String current = m.current().orElse(null);
            SchemaSnapshot live = SchemaSnapshot.read(url);
            String label = Migrator.label(current) + (Migrator.headId().equals(current) ? " (head)" : "");
            if (current == null && !live.isEmpty()) {
                out().println("No revision is recorded for " + url + "; if the original Yaptide made it, 'db upgrade' adopts it.");
            }
            SchemaSnapshot expected = ExpectedSchema.at(url, current);
            // SQLite cannot report the names of unique constraints and foreign keys, so only structure counts there.
            List<String> differences = live.differencesFrom(expected, url.isPostgres());
            if (differences.isEmpty()) {
                out().println("Schema of " + url + " matches revision " + label + ": " + live.tables().size() + " tables checked");
                return ExitCode.OK;
            }
            out().println("Schema of " + url + " differs from revision " + label + ":");
            differences.forEach(d -> out().println("  - " + d));
            out().println(differences.size() + (differences.size() == 1 ? " difference" : " differences"));
            return ExitCode.CHECK_FAILED;
        }
    }

    @Command(name = "diagram", description = {
            "Print the data model as two mermaid class diagrams (simulation side, user side), generated",
            "from the live schema. docs/data-model.md is this command's output on a head database."})
    static final class Diagram extends DbCommand.DbSubcommand {
        @Override
        public Integer call() {
            Migrator m = migrator();
            DatabaseUrl url = resolved().url();
            SchemaSnapshot live = SchemaSnapshot.read(url);
            if (live.isEmpty()) {
                throw new CliException(ExitCode.MIGRATION, "database " + url + " has no tables; run 'db upgrade' first");
            }
            out().print(SchemaDiagram.render(live, Migrator.label(m.current().orElse(null))));
            return ExitCode.OK;
        }
    }
}
