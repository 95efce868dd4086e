package dev.fhirguard.demo.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.sample.SampleServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample end to end: its Observations come from the real in-process backend, whose behaviour
 * the admin switch changes; each failure reaches the client as the documented OperationOutcome.
 */
class BackendDemoTest {

  private static final List<String> NEVER_SHOWN = List.of("127.0.0.1", "localhost",
      "ehr-db-1", ".internal", "5432", "sqlexception", "getobservation", "java.", "exception",
      "observations", "refused", "timed out");

  private static SampleServer sample;
  private static HttpClient client;
  private static String root;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    sample = SampleServer.start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + sample.port();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    token = token();
  }

  @AfterAll
  static void stop() {
    sample.stop();
  }

  private static String token() throws IOException, InterruptedException {
    String basic = Base64.getEncoder().encodeToString("admin:admin-secret".getBytes());
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(root + "/auth/token"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
  }

  private static HttpResponse<String> switchBackend(String mode) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(root + "/admin/backend?mode=" + mode))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> readObservation(String mode) throws Exception {
    assertEquals(200, switchBackend(mode).statusCode());
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(root + "/fhir/Observation/1"))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    String body = response.body().toLowerCase(Locale.ROOT);
    for (String text : NEVER_SHOWN) {
      assertFalse(body.contains(text), () -> "'" + text + "' leaked: " + response.body());
    }
    return response;
  }

  private static OperationOutcome outcome(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
    assertEquals(code, outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    return outcome;
  }

  private static String diagnostics(OperationOutcome outcome) {
    return outcome.getIssueFirstRep().getDiagnostics();
  }

  @Test
  void each_backend_failure_is_shown_and_a_backend_that_keeps_failing_opens_the_circuit()
      throws Exception {
    assertEquals(200, readObservation("up").statusCode());

    OperationOutcome down = outcome(readObservation("down"), 502, "UPSTREAM_UNREACHABLE");
    assertTrue(diagnostics(down).startsWith("The observation service could not be reached."));

    OperationOutcome slow = outcome(readObservation("slow"), 504, "UPSTREAM_TIMEOUT");
    assertTrue(diagnostics(slow).startsWith("The observation service did not answer in time."));

    HttpResponse<String> unavailable = readObservation("unavailable");
    outcome(unavailable, 503, "UPSTREAM_UNAVAILABLE");
    assertEquals("120", unavailable.headers().firstValue("Retry-After").orElse(null));

    OperationOutcome notSupported =
        outcome(readObservation("not-supported"), 501, "UPSTREAM_NOT_SUPPORTED");
    assertEquals("not-supported", notSupported.getIssueFirstRep().getCode().toCode());

    outcome(readObservation("error"), 502, "UPSTREAM_BAD_RESPONSE");

    // 4 failures in 5 counted calls (the 501 does not count): the circuit is open now.
    HttpResponse<String> paused = readObservation("up");
    OperationOutcome open = outcome(paused, 503, "CIRCUIT_OPEN");
    assertTrue(diagnostics(open).startsWith("The observation service is failing"));
    long retryAfter = Long.parseLong(paused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
  }

  @Test
  void the_switch_refuses_an_unknown_mode_with_an_operation_outcome() throws Exception {
    HttpResponse<String> response = switchBackend("sideways");

    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("\"OperationOutcome\""), response.body());
    assertTrue(response.body().contains("up, down, slow, unavailable, not-supported, error"),
        response.body());
  }
}
