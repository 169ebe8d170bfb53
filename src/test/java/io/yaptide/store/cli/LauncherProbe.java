package io.yaptide.store.cli;

/** The program {@link LauncherRealJvmTest} puts in a jar: prints its arguments, exits with the code asked for. */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe ran: " + String.join(" ", args));
        System.exit(args.length > 0 && args[0].matches("exit-[0-9]+") ? Integer.parseInt(args[0].substring(5)) : 0);
    }
}
