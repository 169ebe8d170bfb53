package io.yaptide.store.cli;

import java.io.PrintWriter;

/**
 * {@code list-users} without picocli, for the command lines that leave nothing to interpret: the
 * command, at most one {@code --db URL} (or {@code --db=URL}), any {@code -v}, {@code -vv} or
 * {@code --verbose} all on one side of the command, and at most one {@code --json} after it. Picocli's classes are
 * compiled for Java 5, which class-data sharing and the AOT cache cannot keep: loading and
 * verifying them, and reading the commands' annotations, took about a third of list-users' start-up.
 * Any other command line (help, a mistake, an {@code @file}, an option given twice) goes to picocli
 * as before, so every message stays picocli's; the run itself is the same {@link AdminCommands}
 * code with the same options.
 */
final class QuickListUsers {
    private QuickListUsers() {
    }

    /** The exit code of list-users when the command line is one of those; null to leave it to picocli. */
    static Integer run(String[] args, PrintWriter out, PrintWriter err) {
        GlobalOptions global = new GlobalOptions();
        AdminCommands.ListUsers command = new AdminCommands.ListUsers();
        boolean seenCommand = false;
        int verbosity = 0;
        Boolean verboseAfterCommand = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@") || a.equals("--")) {
                return null; // picocli reads @files and knows "--"
            } else if (a.equals("list-users") && !seenCommand) {
                seenCommand = true;
            } else if (a.equals("--db") && i + 1 < args.length && global.db == null && plainValue(args[i + 1])) {
                global.db = args[++i];
            } else if (a.startsWith("--db=") && global.db == null && plainValue(a.substring("--db=".length()))) {
                global.db = a.substring("--db=".length());
            } else if (a.matches("-v+") || a.equals("--verbose")) {
                if (verboseAfterCommand != null && verboseAfterCommand != seenCommand) {
                    return null; // picocli keeps the count of one side only: let it
                }
                verboseAfterCommand = seenCommand;
                verbosity += a.equals("--verbose") ? 1 : a.length() - 1;
            } else if (a.equals("--json") && seenCommand && !command.json) {
                command.json = true;
            } else {
                return null;
            }
        }
        if (!seenCommand) {
            return null;
        }
        global.verbosity = new boolean[verbosity];
        try {
            return command.execute(global, out, err);
        } catch (Exception e) {
            return Main.handle(e, err); // as picocli's execution exception handler does
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean plainValue(String value) {
        return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
    }
}
