package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs pg_dump / pg_restore with the connection in arguments and the password in PGPASSWORD, never
 * on the command line (where {@code ps} would show it to every user of the machine).
 */
final class ToolProcess {

    private ToolProcess() {
    }

    /** Connection arguments for the PostgreSQL client programs. */
    static List<String> connectionArgs(DatabaseUrl url) {
        // a multi-host URL as libpq takes it: --host h1,h2 --port p1,p2 (the primary chosen by PGTARGETSESSIONATTRS)
        String hosts = url.hosts().stream().map(DatabaseUrl.HostPort::host).collect(java.util.stream.Collectors.joining(","));
        String ports = url.hosts().stream().map(h -> String.valueOf(h.port())).collect(java.util.stream.Collectors.joining(","));
        List<String> args = new ArrayList<>(List.of("--host", hosts, "--port", ports));
        url.user().ifPresent(u -> {
            args.add("--username");
            args.add(u);
        });
        args.add("--no-password"); // never wait for a prompt: the password comes from PGPASSWORD or not at all
        return args;
    }

    static Map<String, String> environment(DatabaseUrl url, Map<String, String> base) {
        Map<String, String> env = new java.util.HashMap<>(base);
        url.password().ifPresent(pw -> env.put("PGPASSWORD", pw));
        if (url.isMultiHost()) {
            env.put("PGTARGETSESSIONATTRS", "read-write"); // the primary, as the JDBC side's targetServerType=primary
        }
        return env;
    }

    static Path require(ExternalTool tool, Map<String, String> env) {
        return tool.find(env).orElseThrow(() -> new OpsException(tool.missingMessage()));
    }

    /**
     * Runs a command, handing each stdout line to {@code stdout} and each stderr line to
     * {@code stderr}; fails with the last stderr lines when the exit code is not 0.
     */
    /**
     * Runs the tool under a watchdog shell that kills it when this process dies: the shell's stdin
     * is a pipe we hold open while the tool runs, and a background reader of it kills the tool at
     * end-of-file, which a {@code kill -9} of the JVM causes (the kernel closes the pipe). Without
     * it, {@code pg_dump} went on running after the CLI was killed. (The pipe is passed to the
     * reader as descriptor 3: a non-interactive shell gives background commands /dev/null as stdin.)
     */
    static List<String> diesWithParent(List<String> command) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
                "exec 3<&0; \"$@\" </dev/null 3<&- & tool=$!; (cat <&3 >/dev/null; kill -9 $tool 2>/dev/null) >/dev/null 2>&1 & exec 3<&-; wait $tool", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    static void run(List<String> command, Map<String, String> env, Consumer<String> stdout, Consumer<String> stderr) {
        ProcessBuilder pb = new ProcessBuilder(diesWithParent(command));
        pb.environment().clear();
        pb.environment().putAll(env);
        Deque<String> lastErrors = new ArrayDeque<>();
        boolean[] sawError = {false};
        try {
            Process p = pb.start();
            // stdin stays open while the tool runs: its closing is the watchdog's signal
            Thread errReader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (lastErrors) {
                            boolean error = line.toLowerCase(java.util.Locale.ROOT).contains("error")
                                    || line.contains("FATAL");
                            // keep the error lines; plain progress lines only while no error was seen
                            if (error && !sawError[0]) {
                                lastErrors.clear();
                                sawError[0] = true;
                            }
                            if (!error && sawError[0]) {
                                stderr.accept(line);
                                continue;
                            }
                            lastErrors.addLast(line);
                            if (lastErrors.size() > 3) {
                                lastErrors.removeFirst();
                            }
                        }
                        stderr.accept(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, command.get(0) + "-stderr");
            errReader.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stdout.accept(line);
                }
            }
            int code = p.waitFor();
            p.getOutputStream().close();
            errReader.join();
            if (code != 0) {
                String name = Path.of(command.get(0)).getFileName().toString();
                String why;
                synchronized (lastErrors) {
                    why = lastErrors.isEmpty() ? "no message" : String.join(" / ", lastErrors);
                }
                throw new OpsException(name + " failed (exit " + code + "): " + why);
            }
        } catch (IOException e) {
            throw new OpsException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException("interrupted while running " + command.get(0), e);
        }
    }
}
