package io.yaptide.store.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.RedisUrl;
import io.yaptide.store.testing.LocalRedis;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker part of readiness: a Redis PING over a real socket, against the real Redis and against ports that do not answer. */
class BrokerCheckTest {

    @Test
    void theRealRedisAnswersPing() {
        Check c = new BrokerCheck(LocalRedis.url()).check();
        assertThat(c.ok()).as(c.detail()).isTrue();
        assertThat(c.name()).isEqualTo("broker");
        assertThat(c.detail()).startsWith("answers PING at 127.0.0.1:");
    }

    @Test
    void aClosedPortIsDownAtOnce() {
        RedisUrl closed = LocalRedis.closedPort();
        Check c = new BrokerCheck(closed).check();
        assertThat(c.ok()).isFalse();
        assertThat(c.detail()).startsWith("no answer from 127.0.0.1:" + closed.port() + ": ");
        assertThat(c.millis()).isLessThan(BrokerCheck.TIMEOUT.toMillis() + 500);
    }

    /** A listener that accepts the connection but never answers: the read timeout ends the check. */
    @Test
    void aSilentPeerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            Check c = new BrokerCheck(RedisUrl.parse("test", "redis://127.0.0.1:" + silent.getLocalPort()), Duration.ofMillis(300)).check();
            assertThat(c.ok()).isFalse();
            assertThat(c.millis()).isBetween(250L, 2_000L);
            acceptor.join(2_000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void thePasswordOfTheUrlIsNeverShown() {
        RedisUrl closed = LocalRedis.closedPort();
        RedisUrl withPassword = RedisUrl.parse("test", "redis://:hunter2-secret@127.0.0.1:" + closed.port() + "/0");
        Check c = new BrokerCheck(withPassword).check();
        assertThat(c.detail()).doesNotContain("hunter2");
        assertThat(new BrokerCheck(withPassword).toString()).doesNotContain("hunter2").contains(":***@");
    }
}
