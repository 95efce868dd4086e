package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample's parts served without {@link FhirServerWiring} (the end-to-end benchmark's
 * baseline): the same HAPI server and data, and nothing of fhirguard on the way, over real HTTP.
 */
class SampleApplicationTest {

  private static SampleServer bare;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    bare = SampleServer.start("127.0.0.1", 0, (server, publicBase) -> {
      SampleApplication app = SampleApplication.create(publicBase, Map.of());
      return app.handler(app.context(FhirGuard.create(app.config())));
    });
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (bare != null) {
      bare.stop();
    }
  }

  @Test
  void a_read_without_a_token_reaches_the_fhir_server() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient/1");

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"resourceType\":\"Patient\""), response.body());
    assertTrue(response.headers().firstValue("X-RateLimit-Limit").isEmpty(), "no rate limit");
  }

  @Test
  void an_unknown_path_gets_the_containers_own_answer_not_an_operation_outcome()
      throws Exception {
    HttpResponse<String> response = get("/nowhere");

    assertEquals(404, response.statusCode());
    assertFalse(response.body().contains("OperationOutcome"), response.body());
    assertNull(response.headers().firstValue("X-Request-ID").orElse(null), "no fhirguard filter");
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + bare.port() + path)).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/fhir+json").build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
