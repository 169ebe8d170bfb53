package io.yaptide.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The benchmarks' streaming client keeps one connection unless the server says it closes it. */
class StreamingHttpTest {

    @Test
    void aServerThatClosesEveryConnectionGetsANewOneForEachRequest() throws Exception {
        try (Server server = new Server(true); StreamingHttp http = new StreamingHttp(server.url())) {
            for (int i = 0; i < 3; i++) {
                StreamingHttp.Head head = http.send("GET", "/results", "", 0, null);
                assertThat(head.status()).isEqualTo(200);
                assertThat(new String(http.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
            }
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void aKeepAliveServerServesEveryRequestOnOneConnection() throws Exception {
        try (Server server = new Server(false); StreamingHttp http = new StreamingHttp(server.url())) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", "/results", "", 0, null).status()).isEqualTo(200);
                assertThat(new String(http.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
            }
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    /** Answers every request "ok"; with {@code closing}, says {@code Connection: close} and closes, as Werkzeug's server does. */
    private static final class Server implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final Thread thread;

        Server(boolean closing) throws Exception {
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        OutputStream out = s.getOutputStream();
                        do {
                            String line = in.readLine();
                            if (line == null) {
                                break;
                            }
                            while (line != null && !line.isEmpty()) {
                                line = in.readLine();
                            }
                            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + (closing ? "Connection: close\r\n" : "")
                                    + "\r\nok").getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        } while (!closing);
                    } catch (Exception e) {
                        // the socket was closed at the end of the test
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }
}
