package io.yaptide.store.cli;

import io.yaptide.store.ops.DispatchView;
import io.yaptide.store.ops.OpsException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The jobs on their way to (or on) the Celery workers, by dispatch state, with their age (docs/celery.md). */
@Command(name = "list-dispatch", description = "List direct jobs for the Celery workers by dispatch state "
        + "(queued, sent, running, merging) with their age.")
final class ListDispatchCommand extends DbOpsCommands.Op {
    @Option(names = "--state", paramLabel = "STATE", description = "Only jobs in this dispatch state: queued, sent, running or merging.")
    String state;

    @Option(names = "--all", description = "Also jobs that ended (completed, failed, canceled).")
    boolean all;

    @Override
    public Integer call() {
        if (state != null && !List.of("queued", "sent", "running", "merging").contains(state)) {
            throw new CliException(ExitCode.USAGE, "--state must be one of queued, sent, running, merging");
        }
        requireReachable();
        PrintWriter out = out();
        try {
            List<DispatchView.Row> rows = DispatchView.read(url(), all).orElseThrow(() -> new CliException(ExitCode.MIGRATION,
                    "the database has no dispatch outbox; run 'bin/yaptide db upgrade'"));
            out.printf("%-8s %-9s %-15s %-8s %-8s %s%n", "SIM_ID", "DISPATCH", "JOB_STATE", "AGE", "ATTEMPTS", "JOB_ID / LAST_ERROR");
            for (DispatchView.Row r : rows) {
                if (state != null && !state.equals(r.dispatch())) {
                    continue;
                }
                out.printf("%-8d %-9s %-15s %-8s %-8d %s%s%n", r.simulationId(), r.dispatch(),
                        r.jobState() == null ? "(deleted)" : r.jobState(), DispatchView.age(r.age()), r.attempts(),
                        r.jobId() == null ? "" : r.jobId(), r.lastError() == null ? "" : "  " + oneLine(r.lastError()));
            }
        } catch (OpsException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot read the dispatch outbox of " + url() + ": " + e.getMessage());
        }
        return ExitCode.OK;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }
}
