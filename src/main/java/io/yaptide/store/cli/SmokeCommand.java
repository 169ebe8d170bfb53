package io.yaptide.store.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yaptide smoke --url URL}: the post-migration manual test, as one command against a running service. */
@Command(name = "smoke", description = "Check a running service end to end with a throwaway user (removed afterwards).")
final class SmokeCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g. http://127.0.0.1:5000")
    String url;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the dummy job (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
            if (base.getScheme() == null || !base.getScheme().startsWith("http") || base.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--url " + url + " is not a usable URL (" + e.getMessage()
                    + "); use e.g. http://127.0.0.1:5000");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            new SmokeRun(base, Duration.ofSeconds(timeoutSeconds), out).run();
            return ExitCode.OK;
        } catch (SmokeRun.Failure e) {
            throw new CliException(ExitCode.CHECK_FAILED, "smoke test failed at " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot reach the service at " + base + ": " + e
                    + "; check that bin/yaptide serve is running there");
        }
    }
}
