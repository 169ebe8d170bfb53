package io.yaptide.store.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code list-users} and {@code list-simulations} without picocli, for the command lines that leave
 * nothing to interpret: the command, at most one {@code --db URL} (or {@code --db=URL}), any
 * {@code -v}, {@code -vv} or {@code --verbose} all on one side of the command, and after it at most
 * one {@code --json} and each of the command's own options at most once ({@code list-simulations}:
 * {@code --user U}, {@code --auth-provider A}, also as {@code --user=U}).
 *
 * <p>Picocli's classes are compiled for Java 5, which class-data sharing and the AOT cache cannot
 * keep: loading and verifying them, and reading the commands' annotations, took about a third of
 * list-users' start-up. In a warm JVM building its model of the command (annotations read by
 * reflection, every call) was still a sixth of list-simulations' CPU. Any other command line (help,
 * a mistake, an {@code @file}, an option given twice, a value that looks like an option) goes to
 * picocli as before, so every message stays picocli's; the run itself is the same
 * {@link AdminCommands} code with the same options.
 */
final class QuickAdmin {
    private QuickAdmin() {
    }

    /** A command it runs: how to make it, and its options that take a value (each sets a field). */
    private record Quick<C extends AdminCommands.Admin>(Supplier<C> create, Map<String, BiConsumer<C, String>> options) {
    }

    private static final Map<String, Quick<?>> COMMANDS = Map.of(
            "list-users", new Quick<>(AdminCommands.ListUsers::new, Map.of()),
            "list-simulations", new Quick<AdminCommands.ListSimulations>(AdminCommands.ListSimulations::new, Map.of(
                    "--user", (c, v) -> c.user = v,
                    "--auth-provider", (c, v) -> c.authProvider = v)));

    /** The exit code of the command when the command line is one of those; null to leave it to picocli. */
    static Integer run(String[] args, PrintWriter out, PrintWriter err) {
        String name = Main.commandName(args);
        Quick<?> quick = name == null ? null : COMMANDS.get(name);
        return quick == null ? null : run(name, quick, args, out, err);
    }

    private static <C extends AdminCommands.Admin> Integer run(String name, Quick<C> quick, String[] args,
                                                               PrintWriter out, PrintWriter err) {
        GlobalOptions global = new GlobalOptions();
        C command = quick.create().get();
        Set<String> given = new HashSet<>();
        boolean seenCommand = false;
        int verbosity = 0;
        Boolean verboseAfterCommand = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String option = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            boolean attached = option.length() < a.length();
            if (a.startsWith("@") || a.equals("--")) {
                return null; // picocli reads @files and knows "--"
            } else if (a.equals(name) && !seenCommand) {
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
            } else if (seenCommand && quick.options().containsKey(option) && given.add(option)) {
                String value = attached ? a.substring(option.length() + 1) : i + 1 < args.length ? args[++i] : null;
                if (value == null || !plainValue(value)) {
                    return null; // picocli says what is missing or wrong
                }
                quick.options().get(option).accept(command, value);
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
