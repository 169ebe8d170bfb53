package io.yaptide.store.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import io.yaptide.store.config.RedisUrl;
import java.net.URI;
import org.opentest4j.TestAbortedException;

/**
 * The real Redis the broker tests talk to, at {@code YAPTIDE_TEST_REDIS_URL} (default
 * {@code redis://127.0.0.1:6379/0}, which {@code .ci/setup-ops} installs and starts). Skipped when
 * unreachable locally; a failure under {@code CI=true}.
 */
public final class LocalRedis {
    private LocalRedis() {
    }

    public static RedisUrl url() {
        String configured = System.getenv("YAPTIDE_TEST_REDIS_URL");
        URI url = URI.create(configured == null || configured.isBlank() ? "redis://127.0.0.1:6379/0" : configured);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), url.getPort() == -1 ? 6379 : url.getPort()), 1000);
        } catch (IOException e) {
            String why = "Redis for tests is not reachable at " + url + " (" + e.getMessage() + "); run .ci/setup-ops";
            if (TestDatabases.isCi()) {
                throw new IllegalStateException(why + " -- under CI=true broker tests must not be skipped", e);
            }
            throw new TestAbortedException(why);
        }
        return RedisUrl.parse("YAPTIDE_TEST_REDIS_URL", url.toString());
    }

    /** A loopback URL where nothing listens: a port just taken and given back. */
    public static RedisUrl closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new RedisUrl("127.0.0.1", s.getLocalPort(), null, null, 0, false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
