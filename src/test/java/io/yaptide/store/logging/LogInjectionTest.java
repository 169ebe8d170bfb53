package io.yaptide.store.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The service's own logging configuration (src/main/resources/logback.xml, not the tests' one):
 * a value with a newline or a NUL cannot forge a log line, neither as an argument nor inside an
 * exception's message, and hashes and tokens quoted by a message are masked.
 */
class LogInjectionTest {
    static final String FORGED = "x\u0000\n00:00:00.000 INFO  i.y.s.h.AuthRoutes - user admin logged in from 10.0.0.1";

    @Test
    void inputCannotForgeALineAndSecretsAreMasked() throws Exception {
        String out = logWithTheServicesConfiguration(log -> {
            log.warn("login failed for user {}", FORGED);
            log.error("POST /tasks failed", new IllegalStateException("statement failed: [username:" + FORGED
                    + ", keyHash:sha256$0123456789abcdef$fedcba, token:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl]",
                    new RuntimeException("cause\r\nwith a CR LF")));
        });

        assertThat(out.lines().filter(l -> l.startsWith("00:00:00.000"))).as(out).isEmpty();
        assertThat(out).contains("x\\u0000\\n00:00:00.000 INFO  i.y.s.h.AuthRoutes - user admin logged in");
        assertThat(out).contains("cause\\r\\nwith a CR LF");
        assertThat(out).doesNotContain("0123456789abcdef", "c2lnbmF0dXJl").contains("sha256$***", "eyJ***");
        assertThat(out).doesNotContain("\u0000");
        // the stack trace is still there, one frame a line
        assertThat(out).contains("\tat io.yaptide.store.logging.LogInjectionTest");
    }

    private static String logWithTheServicesConfiguration(java.util.function.Consumer<Logger> body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            body.accept(context.getLogger("io.yaptide.store.http.YaptideServer"));
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
