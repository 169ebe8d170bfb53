package io.yaptide.store.testing;

/**
 * The Redis the Celery tests use: the machine's on 127.0.0.1:6379 (started by .ci/setup-celery), in
 * a database chosen by this JVM's pid, because other sessions on the same machine run Celery
 * workers of their own on that Redis: a shared database lets their workers take our tasks.
 * {@code YAPTIDE_TEST_REDIS_URL} overrides it.
 */
public final class TestRedis {
    public static final String URL = url();

    private TestRedis() {
    }

    private static String url() {
        String configured = System.getenv("YAPTIDE_TEST_REDIS_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return "redis://127.0.0.1:6379/" + (1 + ProcessHandle.current().pid() % 15);
    }
}
