package io.yaptide.store.health;

/**
 * One part of the readiness answer: the database, its schema revision, the broker.
 *
 * @param name   {@code database}, {@code schema} or {@code broker}
 * @param ok     whether this part is ready
 * @param detail what was found (a revision, "answers") or why it is not ready, one line, no secrets
 * @param millis how long the check took
 */
public record Check(String name, boolean ok, String detail, long millis) {

    /** Error texts are shown to anyone who polls: one line, bounded, whatever the exception said. */
    static String oneLine(Throwable e) {
        Throwable root = io.yaptide.store.db.Causes.root(e);
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        text = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
