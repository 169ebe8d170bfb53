package io.yaptide.store.cli;

import io.yaptide.store.config.ConfigException;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.migrate.MigrationException;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/yaptide}: the operator's entry point. Subcommands are grouped by what they touch; each
 * is thin (parse, call a store or the migrator, print), and every failure ends as one line on
 * stderr with a distinct exit code ({@link ExitCode}), never a stack trace.
 */
@Command(name = "yaptide",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help (and --version) on every command
        versionProvider = Main.Version.class,
        description = "Yaptide Store: persistence, admin tools and HTTP service of the Yaptide simulation platform.",
        // Subcommands are registered in code (COMMANDS), only the one being run when it is known:
        // building picocli's model of every command costs more start-up time than running list-users.
        subcommands = {})
public final class Main implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The global options of the root command, from any subcommand. */
    static GlobalOptions globalOf(CommandSpec sub) {
        return ((Main) sub.root().userObject()).global;
    }

    public static void main(String[] args) {
        quietLibraryLogging(args);
        // the connection opened early loads the driver itself; else the driver loads on the side
        if (!(isAdmin(commandName(args)) && EarlyConnection.start(args))) {
            preloadForAdminCommands(args);
        }
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        EarlyConnection.discard();
        System.exit(code);
    }

    /**
     * An admin command spends most of its life starting up: parsing the command line on one core
     * while the database driver and JDBI load on the other takes a good part of that off the clock.
     */
    /** What an admin command loads after the command line is parsed: the PostgreSQL driver's connection and statement path. */
    static final List<String> PRELOAD = List.of(
            "org.postgresql.Driver",
            "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.jdbc.PgConnection",
            "org.postgresql.shaded.com.ongres.scram.client.ScramClient",
            "org.postgresql.jdbc.PgPreparedStatement",
            "org.postgresql.jdbc.PgResultSet");

    /** What the admin commands other than {@link #PLAIN_JDBC} load next: JDBI's statement path. */
    static final List<String> PRELOAD_JDBI = List.of(
            "org.jdbi.v3.core.Jdbi",
            "org.jdbi.v3.core.Handle",
            "org.jdbi.v3.core.statement.SqlStatements",
            "org.jdbi.v3.core.statement.ColonPrefixSqlParser",
            "org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine");

    /** Admin commands whose statements go through plain JDBC: JDBI is not loaded for them. */
    static final java.util.Set<String> PLAIN_JDBC = java.util.Set.of("list-users", "list-simulations");

    /** An admin command: one of the original's db_manage.py commands, over one connection. */
    static boolean isAdmin(String name) {
        Class<?> command = name == null ? null : COMMANDS.get(name);
        return command != null && command.getEnclosingClass() == AdminCommands.class;
    }

    static void preloadForAdminCommands(String[] args) {
        String name = commandName(args);
        if (!isAdmin(name)) {
            return;
        }
        Thread preload = new Thread(() -> {
            List<String> classes = PLAIN_JDBC.contains(name) ? PRELOAD
                    : java.util.stream.Stream.concat(PRELOAD.stream(), PRELOAD_JDBI.stream()).toList();
            for (String className : classes) {
                try {
                    Class.forName(className);
                } catch (ClassNotFoundException | LinkageError | RuntimeException ignored) {
                    // only a head start; the command loads what it needs anyway
                }
            }
        }, "preload");
        preload.setDaemon(true);
        preload.start();
    }

    /**
     * Admin commands say what happened in their own lines, so library logging would only add noise;
     * and starting the logging system (logback reading its XML configuration, some 500 classes) costs
     * a sixth of list-users' start-up. So for them, unless -v is given, SLF4J gets its no-op provider.
     */
    static void quietLibraryLogging(String[] args) {
        String name = commandName(args);
        Class<?> command = name == null ? null : COMMANDS.get(name);
        boolean admin = command != null && command.getEnclosingClass() == AdminCommands.class;
        boolean verbose = java.util.Arrays.stream(args).anyMatch(a -> a.matches("-v+") || a.equals("--verbose"));
        if (admin && !verbose && System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN"); // no "SLF4J(I): ..." line about it
        }
    }

    /** Every top-level command but help by name, in the order help lists them. */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("db", DbCommand.class);
        m.put("list-users", AdminCommands.ListUsers.class);
        m.put("add-user", AdminCommands.AddUser.class);
        m.put("update-user", AdminCommands.UpdateUser.class);
        m.put("remove-user", AdminCommands.RemoveUser.class);
        m.put("list-tasks", AdminCommands.ListTasks.class);
        m.put("remove-task", AdminCommands.RemoveTask.class);
        m.put("list-simulations", AdminCommands.ListSimulations.class);
        m.put("remove-simulation", AdminCommands.RemoveSimulation.class);
        m.put("add-cluster", AdminCommands.AddCluster.class);
        m.put("list-clusters", AdminCommands.ListClusters.class);
        m.put("rotate-update-key", AdminCommands.RotateUpdateKey.class);
        m.put("encrypt-private-keys", KeyCommands.Encrypt.class);
        m.put("decrypt-private-keys", KeyCommands.Decrypt.class);
        m.put("list-dispatch", ListDispatchCommand.class);
        m.put("serve", ServeCommand.class);
        m.put("smoke", SmokeCommand.class);
        m.put("config", ConfigCommand.class);
        // and "help", last: added with the others in commandLine, so that naming picocli's class
        // here does not load picocli for the command lines that run without it (QuickAdmin)
        return Collections.unmodifiableMap(m);
    }

    /**
     * The command line for {@code args}: with only the named command registered when the first
     * word names one (the fast path of every admin command), else with all (help, errors).
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        String name = commandName(args);
        if (name != null && COMMANDS.containsKey(name)) {
            cl.addSubcommand(name, COMMANDS.get(name));
        } else {
            COMMANDS.forEach(cl::addSubcommand);
            cl.addSubcommand("help", CommandLine.HelpCommand.class);
        }
        return cl;
    }

    /** The first word that is not a global option (or its value); null if there is none. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--db")) {
                i++;
            } else if (a.startsWith("--db=") || a.matches("-v+") || a.equals("--verbose")) {
                continue;
            } else if (a.startsWith("-")) {
                return null; // --help, --version, or a mistake: let picocli see every command
            } else {
                return a;
            }
        }
        return null;
    }

    /** Runs a command line, printing to the given writers; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Integer quick = QuickAdmin.run(args, out, err);
        return quick != null ? quick : runWithPicocli(args, out, err);
    }

    /** The same, always through picocli (the path of every command line {@link QuickAdmin} leaves alone). */
    static int runWithPicocli(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine.getErr()));
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static int handle(Exception ex, PrintWriter err) {
        int code;
        String message;
        if (ex instanceof AdminOutput.Aborted) {
            err.println("Aborted!"); // the original's last line of a refusal; its reason went to stdout
            err.flush();
            return ExitCode.ABORTED;
        }
        if (ex instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (ex instanceof ConfigException) {
            code = ExitCode.CONFIG;
            message = ex.getMessage();
        } else if (ex instanceof StoreException refused) {
            code = exitCode(refused);
            message = ex.getMessage();
        } else if (ex instanceof MigrationException) {
            code = ExitCode.MIGRATION;
            message = ex.getMessage();
        } else if (ex instanceof io.yaptide.store.ops.OpsException) {
            code = ExitCode.ABORTED;
            message = ex.getMessage();
        } else if (MissingSchema.of(ex) != null) {
            code = ExitCode.MIGRATION;
            message = MissingSchema.of(ex);
        } else {
            code = ExitCode.INTERNAL;
            message = "internal error: " + ex + " (please report it with the command you ran)";
        }
        if (message != null && !message.isEmpty()) {
            err.println("Error: " + message);
        }
        err.flush();
        return code;
    }

    /** A store's refusal by its kind: the CLI's side of the mapping YaptideServer does for HTTP. */
    static int exitCode(StoreException refused) {
        if (refused instanceof StoreException.Unavailable) {
            return ExitCode.UNAVAILABLE;
        }
        if (refused instanceof StoreException.Invalid) {
            return ExitCode.USAGE; // the stores check values before touching the data
        }
        return ExitCode.ABORTED; // NotFound, Conflict: refused, nothing changed
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"yaptide-store " + (v == null ? "dev" : v)};
        }
    }
}
