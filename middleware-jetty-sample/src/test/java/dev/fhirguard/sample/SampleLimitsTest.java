package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.demo.auth.SampleTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample's limits as its {@code fhirguard.properties} sets them, over real HTTP with real
 * tokens: the demo client "writer" has a bucket of 10, everybody else 120 a minute; maintenance
 * is switched at runtime through {@code /admin/maintenance}.
 */
class SampleLimitsTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static SampleServer server;
  private static String root;

  @BeforeAll
  static void start() {
    server = SampleServer.start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void writer_gets_ten_requests_then_a_429_with_the_wait_for_one_token_while_others_go_on()
      throws Exception {
    String writer = SampleTokens.withSecret(root, "writer", "writer-secret");
    String admin = SampleTokens.withSecret(root, "admin", "admin-secret");
    for (int i = 1; i <= 10; i++) {
      HttpResponse<String> ok = get("/fhir/Patient?_count=1", writer);
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("10", header(ok, "X-RateLimit-Limit"));
      assertEquals(String.valueOf(10 - i), header(ok, "X-RateLimit-Remaining"));
      assertEquals("\"client\";q=10;w=60", header(ok, "RateLimit-Policy"));
    }
    HttpResponse<String> refused = get("/fhir/Patient?_count=1", writer);
    assertEquals(429, refused.statusCode(), refused.body());
    OperationOutcome outcome = outcome(refused);
    assertEquals("throttled", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("RATE_LIMITED", outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    String wait = header(refused, "Retry-After");
    assertTrue(Integer.parseInt(wait) >= 1 && Integer.parseInt(wait) <= 6, wait);
    assertEquals("Rate limit exceeded. Please retry after " + wait
        + (wait.equals("1") ? " second." : " seconds."), outcome.getIssueFirstRep().getDiagnostics());
    assertEquals("0", header(refused, "X-RateLimit-Remaining"));

    HttpResponse<String> other = get("/fhir/Patient?_count=1", admin);
    assertEquals(200, other.statusCode(), other.body());
    assertEquals("120", header(other, "X-RateLimit-Limit"));
  }

  @Test
  void maintenance_switched_at_runtime_refuses_all_but_the_capability_statement() throws Exception {
    String admin = SampleTokens.withSecret(root, "admin", "admin-secret");
    try {
      assertEquals(200, post("/admin/maintenance?on=true").statusCode());
      HttpResponse<String> refused = get("/fhir/Patient?_count=1", admin);
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("300", header(refused, "Retry-After"));
      OperationOutcome outcome = outcome(refused);
      assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
      assertTrue(outcome.getIssueFirstRep().getDiagnostics()
          .startsWith("The server is down for scheduled maintenance. Please retry after 300"
              + " seconds."), outcome.getIssueFirstRep().getDiagnostics());
      assertEquals(200, get("/fhir/metadata", null).statusCode());
    } finally {
      assertEquals(200, post("/admin/maintenance?on=false").statusCode());
    }
    assertEquals(200, get("/fhir/Patient?_count=1", admin).statusCode());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path))
        .header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(root + path))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("(missing " + name + ")");
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    return FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
  }
}
