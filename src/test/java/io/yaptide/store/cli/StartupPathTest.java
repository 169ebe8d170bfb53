package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What Main decides before any command runs: which command to register, and whether library logging starts. */
class StartupPathTest {

    @Test
    void theCommandNameIsTheFirstWordAfterTheGlobalOptions() {
        assertThat(Main.commandName(new String[] {"--db", "sqlite:///x.db", "-vv", "list-users", "--json"})).isEqualTo("list-users");
        assertThat(Main.commandName(new String[] {"--db=sqlite:///x.db", "db", "upgrade"})).isEqualTo("db");
        assertThat(Main.commandName(new String[] {"--help"})).isNull();
        assertThat(Main.commandName(new String[] {})).isNull();
    }

    @Test
    void onlyTheNamedCommandIsRegisteredUnlessHelpIsWanted() {
        assertThat(Main.commandLine(new String[] {"list-users"}).getSubcommands()).containsOnlyKeys("list-users");
        assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands().keySet())
                .containsAll(Main.COMMANDS.keySet());
        assertThat(Main.commandLine(new String[] {"no-such-command"}).getSubcommands().keySet())
                .containsAll(Main.COMMANDS.keySet());
    }

    @Test
    void adminCommandsWithoutVerbosityLeaveLibraryLoggingOff() {
        String provider = System.getProperty("slf4j.provider");
        String verbosity = System.getProperty("slf4j.internal.verbosity");
        try {
            System.clearProperty("slf4j.provider");
            Main.quietLibraryLogging(new String[] {"db", "upgrade"});
            assertThat(System.getProperty("slf4j.provider")).isNull();
            Main.quietLibraryLogging(new String[] {"-v", "list-users"});
            assertThat(System.getProperty("slf4j.provider")).isNull();
            Main.quietLibraryLogging(new String[] {"--db", "sqlite:///x.db", "list-users"});
            assertThat(System.getProperty("slf4j.provider")).isEqualTo("org.slf4j.helpers.NOP_FallbackServiceProvider");
        } finally {
            restore("slf4j.provider", provider);
            restore("slf4j.internal.verbosity", verbosity);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
