package io.yaptide.store.cli;

import io.yaptide.store.config.ConfigException;
import io.yaptide.store.db.DatabaseUnavailableException;
import io.yaptide.store.migrate.MigrationException;
import java.io.PrintWriter;
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
        versionProvider = Main.Version.class,
        description = "Yaptide Store: persistence, admin tools and HTTP service of the Yaptide simulation platform.",
        subcommands = {
                DbCommand.class,
                AdminCommands.ListUsers.class,
                AdminCommands.AddUser.class,
                AdminCommands.UpdateUser.class,
                AdminCommands.RemoveUser.class,
                AdminCommands.ListTasks.class,
                AdminCommands.RemoveTask.class,
                AdminCommands.ListSimulations.class,
                AdminCommands.RemoveSimulation.class,
                AdminCommands.AddCluster.class,
                AdminCommands.ListClusters.class,
                AdminCommands.RotateUpdateKey.class,
                CommandLine.HelpCommand.class,
        })
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
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line, printing to the given writers; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
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
        } else if (ex instanceof DatabaseUnavailableException) {
            code = ExitCode.UNAVAILABLE;
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"yaptide-store " + (v == null ? "dev" : v)};
        }
    }
}
