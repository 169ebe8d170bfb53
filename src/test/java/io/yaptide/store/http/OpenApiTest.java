package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code /openapi.json} describes exactly the routes the service has. */
class OpenApiTest {

    @DatabaseTest
    void everyDocumentedOperationExistsAndAnswersInTheOriginalShape(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            ApiClient client = server.client();
            ApiClient.Response r = client.get("/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonNode doc = r.json();
            assertThat(doc.path("openapi").asText()).startsWith("3.0");
            List<String> operations = new ArrayList<>();
            doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                    method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
            assertThat(operations).hasSize(29).contains("POST /tasks", "GET /results", "POST /jobs/direct", "DELETE /user");
            for (String operation : operations) {
                String[] parts = operation.split(" ");
                ApiClient.Response answer = client.send(parts[0], parts[1], parts[0].equals("GET") || parts[0].equals("DELETE")
                        ? null : "{}");
                assertThat(answer.status()).as(operation).isLessThan(500);
                if (!parts[1].equals("/openapi.json")) {
                    assertThat(answer.message()).as(operation).isNotEmpty().doesNotStartWith("Endpoint ");
                }
            }
        }
    }
}
