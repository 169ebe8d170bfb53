package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.OriginalDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays the original admin script's transcript ({@code original-db/db_manage-transcript.txt}) on a
 * fresh copy of the original's database, command by command in the same order, and checks that
 * each prints the same lines with the same exit code, except for the three defects marked '!!'
 * (and the {@code --sim-id} spelling the issue adds), where the corrected behaviour is checked.
 */
class TranscriptParityTest {

    static final Pattern TRUNCATED = Pattern.compile("^ {2}\\.\\.\\. \\((\\d+) lines in all\\)$");

    /** One command of the transcript: its arguments, the lines it printed, its exit code. */
    record Step(List<String> args, boolean defect, List<String> lines, int totalLines, int exit) {
    }

    static List<Step> transcript() {
        List<Step> steps = new ArrayList<>();
        List<String> args = null;
        boolean defect = false;
        List<String> lines = new ArrayList<>();
        int total = -1;
        for (String line : Fixtures.read("original-db/db_manage-transcript.txt").split("\n")) {
            if (line.startsWith("$ db_manage.py ")) {
                String cmd = line.substring("$ db_manage.py ".length());
                defect = cmd.contains("!!");
                args = List.of(cmd.replaceAll("\\s+!!.*$", "").strip().split(" "));
                lines = new ArrayList<>();
                total = -1;
            } else if (args != null && line.startsWith("[exit ")) {
                int exit = Integer.parseInt(line.replaceAll("\\D", ""));
                steps.add(new Step(args, defect, lines, total < 0 ? lines.size() : total, exit));
                args = null;
            } else if (args != null) {
                Matcher m = TRUNCATED.matcher(line);
                if (m.matches()) {
                    total = Integer.parseInt(m.group(1));
                } else {
                    lines.add(line);
                }
            }
        }
        return steps;
    }

    @Test
    void transcriptHasTheCommandsThisTestRelaysOn() {
        List<Step> steps = transcript();
        assertThat(steps).hasSizeGreaterThan(20);
        assertThat(steps.stream().filter(Step::defect)).hasSize(3);
    }

    @Test
    void everyCommandOfTheTranscriptPrintsTheOriginalsLinesOnPostgres() {
        replay(OriginalDatabases.loadPostgres(), true);
    }

    @Test
    void everyCommandOfTheTranscriptPrintsTheOriginalsLinesOnSqlite() {
        replay(OriginalDatabases.loadSqlite(), false);
    }

    private void replay(DatabaseUrl db, boolean postgres) {
        for (Step step : transcript()) {
            String command = String.join(" ", step.args());
            Cli.Result r = Cli.run(db, step.args().toArray(String[]::new));
            List<String> ours = r.allLines();
            if (step.defect() || command.startsWith("list-tasks --sim-id")) {
                checkCorrected(db, command, r);
                continue;
            }
            // The original printed SQLite's naive times without a zone; PostgreSQL's with +00:00.
            List<String> expected = step.lines().stream().map(l -> postgres ? l : l.replace("+00:00", ""))
                    .map(l -> command.startsWith("list-tasks") ? currentListTasksLine(db, l) : l).toList();
            assertThat(r.code()).as(command + "\n" + r.err()).isEqualTo(step.exit());
            if (step.totalLines() > step.lines().size()) {
                assertThat(ours).as(command).hasSize(step.totalLines());
                assertThat(ours.subList(0, expected.size())).as(command).isEqualTo(expected);
            } else {
                assertThat(ours).as(command).isEqualTo(expected);
            }
        }
    }

    static final Pattern SEED_TASK_LINE = Pattern.compile("^Simulation id (\\d+); Task id \\.\\.\\.(\\d+);(.*)$");

    /**
     * The transcript is the seed's db_manage; its list-tasks lines are turned into the original's
     * current format (master's yaptide/admin/db_manage.py: the task's state added, the columns
     * joined by "; "), with the state read from the database.
     */
    private static String currentListTasksLine(DatabaseUrl db, String seedLine) {
        Matcher m = SEED_TASK_LINE.matcher(seedLine);
        if (!m.matches()) {
            return seedLine;
        }
        String state;
        try (Database d = Database.openSingleConnection(db)) {
            state = d.jdbi().withHandle(h -> h.createQuery(
                            "SELECT task_state FROM \"Task\" WHERE simulation_id = :sim AND task_id = :task")
                    .bind("sim", Long.parseLong(m.group(1))).bind("task", Integer.parseInt(m.group(2)))
                    .mapTo(String.class).one());
        }
        return String.join("; ", "Simulation id " + m.group(1), "Task id ..." + m.group(2), "task_state " + state, m.group(3));
    }

    private void checkCorrected(DatabaseUrl db, String command, Cli.Result r) {
        if (command.startsWith("list-tasks")) {
            // --sim_id (declared by the original, rejected by its parser) and --sim-id both work
            assertThat(r.code()).as(command).isZero();
            List<String> lines = r.outLines();
            assertThat(lines.get(0)).matches("\\d+ tasks in DB:");
            assertThat(lines.subList(1, lines.size())).isNotEmpty()
                    .allMatch(l -> l.matches("Simulation id 1; Task id \\.\\.\\.\\d+; task_state [A-Z_]+;  username anna\\.kowalski"));
            assertThat(lines).hasSize(Integer.parseInt(lines.get(0).split(" ")[0]) + 1);
        } else if (command.startsWith("remove-task")) {
            // only simulation 1's task 0 goes; the original deleted task 0 of every simulation
            assertThat(r.code()).isZero();
            assertThat(r.outLines()).containsExactly("Deleting task: 0 from simulation: 1", "Successfully deleted task: 0");
            try (Database d = Database.openSingleConnection(db)) {
                long taskZeroLeft = d.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM \"Task\" WHERE task_id = 0").mapTo(Long.class).one());
                long simulationOneTaskZero = d.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM \"Task\" WHERE task_id = 0 AND simulation_id = 1").mapTo(Long.class).one());
                // the transcript: task 0 existed in 20 simulations, and the original deleted all 20
                assertThat(taskZeroLeft).isEqualTo(19);
                assertThat(simulationOneTaskZero).isZero();
            }
        } else if (command.startsWith("remove-user")) {
            // refused with one clear line and the original's "Aborted!", the data untouched
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.allLines()).hasSize(4);
            assertThat(r.allLines().get(0)).isEqualTo("Deleting user: plgannakowa0");
            assertThat(r.allLines().get(1)).isEqualTo("User: plgannakowa0 exists");
            assertThat(r.allLines().get(2)).startsWith("Aborting, user plgannakowa0 still owns 15 simulation(s)")
                    .contains("--cascade");
            assertThat(r.allLines().get(3)).isEqualTo("Aborted!");
            assertThat(r.out() + r.err()).doesNotContain("Traceback").doesNotContain("Exception");
            assertThat(Cli.run(db, "list-simulations", "--user", "plgannakowa0").outLines().get(0))
                    .isEqualTo("15 simulations in DB:");
        }
    }
}
