package io.yaptide.store.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SQL script (such as sqlite3's {@code .dump}) into statements at semicolons outside
 * quotes, so that JDBC, which runs one statement at a time, can execute it.
 */
public final class SqlScript {
    private SqlScript() {
    }

    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            current.append(c);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0; // a doubled quote ('') re-opens on the next character, which is right
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';') {
                String statement = current.substring(0, current.length() - 1).strip();
                if (!statement.isEmpty()) {
                    out.add(statement);
                }
                current.setLength(0);
            }
        }
        String rest = current.toString().strip();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }
}
