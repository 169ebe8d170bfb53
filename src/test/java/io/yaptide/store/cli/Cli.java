package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code bin/yaptide} in-process on a database and captures what it prints and its exit code. */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        /** stdout then stderr, as a terminal showed the original's output. */
        List<String> allLines() {
            List<String> all = new ArrayList<>(outLines());
            if (!err.isEmpty()) {
                all.addAll(List.of(err.split("\n")));
            }
            return all;
        }
    }

    static Result run(DatabaseUrl db, String... args) {
        return runWithInput(db, null, args);
    }

    static synchronized Result runWithInput(DatabaseUrl db, String stdin, String... args) {
        List<String> all = new ArrayList<>();
        if (db != null) {
            all.add("--db");
            all.add(db.render(true));
        }
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream before = AdminCommands.stdin;
        if (stdin != null) {
            AdminCommands.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            return new Result(code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
        } finally {
            AdminCommands.stdin = before;
        }
    }
}
