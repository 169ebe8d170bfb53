package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.results.Payload;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.OriginalDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code db rewrite-payloads} on the original's databases: every document the original stored
 * (gzip level 9) is rewritten once into the spliceable form and decodes to the same bytes; a second
 * run finds nothing to do.
 */
class RewritePayloadsTest {
    static final List<String> TABLES = List.of("Input", "Estimator", "Page", "Logfiles");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theOriginalsDocumentsAreRewrittenOnceIntoTheSpliceableFormWithTheSameText(Engine engine) throws Exception {
        DatabaseUrl url = AdoptionCliTest.original(engine);
        assertThat(AdoptionCliTest.run("--db", url.render(true), "db", "upgrade", "--no-backup").code()).isZero();
        Map<String, byte[]> before = documents(url);
        assertThat(before).isNotEmpty();
        assertThat(before.values()).noneMatch(d -> Payload.ofCompressed(d).isSpliceable());

        AdoptionCliTest.Result dry = AdoptionCliTest.run("--db", url.render(true), "db", "rewrite-payloads", "--dry-run");
        assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out()).startsWith("Would rewrite: " + before.size() + " rewritten").contains("nothing written");
        assertThat(documents(url)).containsExactlyEntriesOf(before);

        AdoptionCliTest.Result r = AdoptionCliTest.run("--db", url.render(true), "db", "rewrite-payloads", "--batch-size", "7");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("Payloads: " + before.size() + " rewritten");

        Map<String, byte[]> after = documents(url);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            Payload rewritten = Payload.ofCompressed(after.get(e.getKey()));
            assertThat(rewritten.isSpliceable()).as(e.getKey()).isTrue();
            assertThat(rewritten.jsonBytes()).as(e.getKey()).isEqualTo(Payload.ofCompressed(e.getValue()).jsonBytes());
        }

        AdoptionCliTest.Result again = AdoptionCliTest.run("--db", url.render(true), "db", "rewrite-payloads");
        assertThat(again.out()).startsWith("Payloads: 0 rewritten (0 -> 0 bytes), " + before.size() + " already in the form");
        assertThat(AdoptionCliTest.run("--db", url.render(true), "db", "rewrite-payloads", "--batch-size", "0").code())
                .isEqualTo(ExitCode.USAGE);
    }

    /** table:id -> stored bytes, for every document. */
    static Map<String, byte[]> documents(DatabaseUrl url) throws Exception {
        Map<String, byte[]> docs = new LinkedHashMap<>();
        Properties props = new Properties();
        url.user().ifPresent(u -> props.setProperty("user", u));
        url.password().ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT id, compressed_data FROM \"" + table + "\" WHERE compressed_data IS NOT NULL")) {
                    while (rs.next()) {
                        docs.put(table + ":" + rs.getLong(1), rs.getBytes(2));
                    }
                }
            }
        }
        return docs;
    }
}
