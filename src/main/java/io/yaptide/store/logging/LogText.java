package io.yaptide.store.logging;

import java.util.regex.Pattern;

/**
 * What a log line may carry of a value it quotes: control characters escaped ({@code \n},
 * {@code \u0000}), so no input can end a line and forge the next one, and the shapes of secrets
 * masked (password and key hashes, JWTs), so a message that quotes one by mistake (a driver's error
 * naming a bound value) does not leak it.
 */
final class LogText {
    /** Stored password and update-key hashes ({@code sha256$...}, {@code pbkdf2:sha256:...$...}, {@code scrypt:...}). */
    private static final Pattern HASH = Pattern.compile("\\b(sha256|pbkdf2[:\\w]*|scrypt[:\\w]*)\\$[^\\s,;'\")\\]]+");
    /** A JWT: three base64url parts, the first a JSON header ({@code eyJ}). */
    private static final Pattern JWT = Pattern.compile("\\beyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+");

    private LogText() {
    }

    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        return mask(escape(text));
    }

    static String escape(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** C0, DEL, C1, the Unicode line and paragraph separators, and lone surrogates. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c);
    }

    static String mask(String text) {
        if (text.indexOf('$') >= 0) {
            text = HASH.matcher(text).replaceAll("$1\\$***");
        }
        if (text.contains("eyJ")) {
            text = JWT.matcher(text).replaceAll("eyJ***");
        }
        return text;
    }
}
