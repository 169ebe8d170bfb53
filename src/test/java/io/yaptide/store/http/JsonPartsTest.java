package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.results.DeflateRun;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.StrictGunzip;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The gzip body is one gzip member, spliced from literal text and stored payloads, that a strict
 * single-member decoder (as in a browser) reads back as the plain body.
 */
class JsonPartsTest {

    @Test
    void storedPayloadsAndLiteralsReadBackAsThePlainBodyFromOneMember() throws Exception {
        Payload page = Payload.ofJson(Map.of("data", Map.of("values", new double[] {1.5, 2.5})));
        String longText = "x".repeat(200_000); // more than one stored deflate block
        JsonParts parts = JsonParts.envelope("Results for job: ü \"quoted\"").text(",\"pages\":[")
                .stored(page).text(",").stored(null).text(",").value(longText).text(",").stored(page).text("]}");

        byte[] plain = parts.identity();
        assertThat(StrictGunzip.decode(parts.gzip())).isEqualTo(plain);
        assertThat(ApiClient.JSON.readTree(plain).path("message").asText()).isEqualTo("Results for job: ü \"quoted\"");
        assertThat(ApiClient.JSON.readTree(plain).path("pages").get(0)).isEqualTo(page.json());
        assertThat(ApiClient.JSON.readTree(plain).path("pages").get(2).asText()).hasSize(200_000);
        assertThat(ApiClient.JSON.readTree(plain).path("pages").get(3)).isEqualTo(page.json());
    }

    @Test
    void ourStoredDeflateDataIsSentAsItIsNotRecompressed() {
        Payload page = Payload.ofJson(Map.of("values", new Random(1).doubles(5_000).toArray()));
        DeflateRun run = page.deflateRun();
        assertThat(run.bytes()).isSameAs(page.compressed());

        byte[] gz = new JsonParts().text("[").stored(page).text("]").gzip();
        byte[] stored = Arrays.copyOfRange(run.bytes(), run.offset(), run.offset() + run.length());
        assertThat(indexOf(gz, stored)).isPositive();
        assertThat(StrictGunzip.decode(gz)).isEqualTo(("[" + new String(page.jsonBytes(), StandardCharsets.UTF_8) + "]")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDocumentTheOriginalStoredIsRecompressedIntoTheMember() throws Exception {
        byte[] json = "{\"name\": \"z_profile_\", \"values\": [1, 2, 3]}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream original = new ByteArrayOutputStream(); // gzip.compress(...) at level 9
        try (GZIPOutputStream gz = new GZIPOutputStream(original) {
            {
                def.setLevel(9);
            }
        }) {
            gz.write(json);
        }
        Payload stored = Payload.ofCompressed(original.toByteArray());
        assertThat(stored.isSpliceable()).isFalse();

        byte[] body = new JsonParts().text("{\"input\":").stored(stored).text("}").gzip();
        assertThat(new String(StrictGunzip.decode(body), StandardCharsets.UTF_8))
                .isEqualTo("{\"input\":" + new String(json, StandardCharsets.UTF_8) + "}");
    }

    @Test
    void literalTextAloneAndEmptyBodiesAreOneMember() {
        assertThat(StrictGunzip.decode(new JsonParts().gzip())).isEmpty();
        assertThat(new String(StrictGunzip.decode(new JsonParts().text("{}").gzip()), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(StrictGunzip.decode(new JsonParts().stored(Payload.ofJsonBytes(new byte[0])).gzip())).isEmpty();
    }

    @Test
    void acceptEncodingIsReadAsHttpSaysIt() {
        assertThat(JsonParts.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(JsonParts.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
        assertThat(JsonParts.acceptsGzip("x-gzip")).isTrue();
        assertThat(JsonParts.acceptsGzip("*")).isTrue();
        assertThat(JsonParts.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(JsonParts.acceptsGzip("identity")).isFalse();
        assertThat(JsonParts.acceptsGzip(null)).isFalse();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
