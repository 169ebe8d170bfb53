package io.yaptide.store.migrate;

/**
 * One schema revision: a changeSet of the changelog whose id is the revision id.
 *
 * @param id       the revision id ({@code 06c32cf470e7}; the first two are the original's Alembic ids)
 * @param parent   the revision before it, or null for the first
 * @param message  what it changes, in one line
 */
public record Revision(String id, String parent, String message) {
}
