package io.yaptide.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Text the service refuses rather than changes: a NUL character (PostgreSQL cannot store it in
 * text, and SQLite would store what PostgreSQL refuses, so the engines would disagree) and an
 * unpaired UTF-16 surrogate (a JSON {@code "\ud800"} escape; encoding it as UTF-8 turns it into
 * {@code ?}, so {@code "sur\udfff"} would be stored as {@code "sur?"}). Checked at the edge, for
 * every query parameter and every string and field name of a JSON body, on both engines alike.
 */
final class TextRules {
    private TextRules() {
    }

    /** The problem with the text, or null when it is acceptable. */
    static String problem(char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c == 0) {
                return "contains a NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                    i++;
                    continue;
                }
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return problem(text.toCharArray(), 0, text.length());
            }
        }
        return null;
    }

    /** 400 naming where the bad text is. */
    static void check(String where, String text) {
        String problem = text == null ? null : problem(text);
        if (problem != null) {
            throw ApiException.badRequest("Wrong data provided: " + where + " " + problem);
        }
    }

    /** Every query parameter (name and values) and the path. */
    static void checkRequest(Context ctx) {
        check("the path", ctx.path());
        if (ctx.queryString() == null) {
            return; // no query: skip building the parameter map (a worker's report has none)
        }
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            check("a query parameter name", p.getKey());
            for (String v : p.getValue()) {
                check("query parameter " + p.getKey(), v);
            }
        }
    }

    /** Every string and field name in the tree; the 400 names the path to the bad one ({@code root} when at the top). */
    static void check(String root, JsonNode node) {
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        String problem = find(node, path);
        if (problem != null) {
            String where = String.join("", path);
            where = where.startsWith(".") ? where.substring(1) : where;
            throw ApiException.badRequest("Wrong data provided: " + (where.isEmpty() ? root : where) + " " + problem);
        }
    }

    private static String find(JsonNode node, java.util.ArrayDeque<String> path) {
        if (node.isTextual()) {
            return problem(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = problem(e.getKey());
                if (name != null) {
                    return "has a field name that " + name;
                }
                String inside = find(e.getValue(), path);
                if (inside != null) {
                    path.push("." + e.getKey());
                    return inside;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String inside = find(node.get(i), path);
                if (inside != null) {
                    path.push("[" + i + "]");
                    return inside;
                }
            }
        }
        return null;
    }
}
