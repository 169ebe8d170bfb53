package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.results.Payload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The gzip body made of literal members and stored payloads reads back as the plain body. */
class JsonPartsTest {

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void storedMembersAndLiteralsReadBackAsThePlainBody() throws Exception {
        Payload page = Payload.ofJson(Map.of("data", Map.of("values", new double[] {1.5, 2.5})));
        String longText = "x".repeat(200_000); // more than one stored deflate block
        JsonParts parts = JsonParts.envelope("Results for job: ü \"quoted\"").text(",\"pages\":[")
                .stored(page).text(",").stored(null).text(",").value(longText).text("]}");

        byte[] plain = parts.identity();
        assertThat(gunzip(parts.gzip())).isEqualTo(plain);
        assertThat(ApiClient.JSON.readTree(plain).path("message").asText()).isEqualTo("Results for job: ü \"quoted\"");
        assertThat(ApiClient.JSON.readTree(plain).path("pages").get(0)).isEqualTo(page.json());
        assertThat(ApiClient.JSON.readTree(plain).path("pages").get(2).asText()).hasSize(200_000);
    }

    @Test
    void theStoredBytesAreSentAsTheyAre() {
        Payload page = Payload.ofJson(Map.of("n", 1));
        byte[] gz = new JsonParts().stored(page).gzip();
        assertThat(gz).isEqualTo(page.compressed());
    }

    @Test
    void anEmptyLiteralIsAValidMember() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonParts.writeStoredMember(out, new byte[0]);
        assertThat(gunzip(out.toByteArray())).isEmpty();
        out.reset();
        JsonParts.writeStoredMember(out, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(gunzip(out.toByteArray()), StandardCharsets.UTF_8)).isEqualTo("{}");
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
}
