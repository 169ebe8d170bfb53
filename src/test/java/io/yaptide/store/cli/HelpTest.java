package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command answers --help with its usage and a description, and the root lists them all. */
class HelpTest {

    static final List<String> DB_COMMANDS = List.of("upgrade", "downgrade", "stamp", "current", "history", "url", "shell",
            "inspect", "backup", "restore", "rehearse", "revision", "clean", "pgadmin-servers");

    @Test
    void rootHelpListsEveryCommand() {
        Cli.Result r = Cli.run(null, "--help");
        assertThat(r.code()).isZero();
        for (String name : Main.COMMANDS.keySet()) {
            assertThat(r.out()).contains("  " + name + " ");
        }
    }

    @Test
    void everyCommandAndDbSubcommandHasHelp() {
        for (String name : Main.COMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Cli.Result r = Cli.run(null, name, "--help");
            assertThat(r.code()).as(name).isZero();
            assertThat(r.out()).as(name).startsWith("Usage: yaptide " + name);
            assertThat(r.out().lines().skip(1).findFirst().orElse("")).as(name).isNotBlank();
        }
        Cli.Result db = Cli.run(null, "db", "--help");
        for (String sub : DB_COMMANDS) {
            assertThat(db.out()).contains("  " + sub + " ");
            Cli.Result r = Cli.run(null, "db", sub, "--help");
            assertThat(r.code()).as(sub).isZero();
            assertThat(r.out()).as(sub).startsWith("Usage: yaptide db " + sub);
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorNamingIt() {
        Cli.Result r = Cli.run(null, "list-user");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("list-user");
    }
}
