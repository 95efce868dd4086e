package dev.fhirguard.feature.upstream;

import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.UpstreamBodies.assertNothingLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.Backend.Mode;
import dev.fhirguard.testing.BackendClient;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.Backend;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker of a named upstream, over real HTTP against a real backend. Time in the open
 * state is moved by a manual clock, so nothing here sleeps or measures elapsed time.
 */
class CircuitBreakerTest {

  private static final String HELPER = "/upstream/helper";
  private static final String OPEN_TEXT =
      "The patient record service is failing; calls to it are paused. Please retry after 30"
          + " seconds.";

  private final TestClock clock = new TestClock();
  private TestServer server;
  private Backend backend;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Window of 4 calls, opens at 50 % failures, 30 s open, 2 probe calls. */
  private void start(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.upstreams.records.display-name", "patient record service",
        "fhirguard.upstreams.records.sliding-window-size", "4",
        "fhirguard.upstreams.records.minimum-number-of-calls", "4",
        "fhirguard.upstreams.records.failure-rate-threshold", "50",
        "fhirguard.upstreams.records.wait-duration-in-open-state", "30s",
        "fhirguard.upstreams.records.permitted-number-of-calls-in-half-open-state", "2"));
    settings.putAll(more);
    FhirGuard guard =
        withClock(FhirGuard.builder().config(FhirGuardConfig.load(settings)), clock).build();
    backend = Backend.start(Duration.ofMillis(150));
    server = backend.frontedBy(guard);
  }

  private void openTheCircuit() {
    backend.mode(Mode.ERROR);
    for (int i = 0; i < 4; i++) {
      assertEquals(502, server.get(HELPER).statusCode());
    }
  }

  private String state() {
    return server.guard().upstream(BackendClient.UPSTREAM).circuitState();
  }

  private long retryAfter(HttpResponse<String> response) {
    return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void the_circuit_opens_at_the_failure_rate_and_then_fails_fast_without_calling_the_backend() {
    start(Map.of());
    openTheCircuit();
    int calls = backend.requests();

    HttpResponse<String> response = server.get(HELPER);

    OperationOutcome outcome = assertError(response, 503, "CIRCUIT_OPEN");
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertTrue(diagnostics(outcome).startsWith(OPEN_TEXT), diagnostics(outcome));
    assertEquals(30, retryAfter(response));
    assertEquals(calls, backend.requests(), "an open circuit must not call the backend");
    assertEquals("OPEN", state());
    assertNothingLeaks(response, backend.port(), server.port());
  }

  @Test
  void retry_after_counts_down_the_real_time_left_until_the_next_probe() {
    start(Map.of());
    openTheCircuit();
    List<Long> seen = new ArrayList<>();

    seen.add(retryAfter(server.get(HELPER)));
    clock.advance(Duration.ofSeconds(10));
    seen.add(retryAfter(server.get(HELPER)));
    clock.advance(Duration.ofMillis(19_500));
    seen.add(retryAfter(server.get(HELPER)));

    assertEquals(List.of(30L, 20L, 1L), seen);
  }

  @Test
  void the_text_tells_the_same_seconds_as_retry_after_as_they_count_down() {
    start(Map.of());
    openTheCircuit();
    clock.advance(Duration.ofSeconds(10));

    HttpResponse<String> response = server.get(HELPER);

    assertEquals(20, retryAfter(response));
    assertTrue(diagnostics(assertError(response, 503, "CIRCUIT_OPEN"))
        .startsWith("The patient record service is failing; calls to it are paused. Please retry"
            + " after 20 seconds. Transaction id: "), response.body());
  }

  @Test
  void a_hapi_client_reads_the_seconds_to_wait_in_its_exception_message() {
    start(Map.of());
    openTheCircuit();
    FhirContext context = FhirContext.forR4();
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = context.newRestfulGenericClient(server.uri("/fhir").toString());

    BaseServerResponseException e = assertThrows(BaseServerResponseException.class,
        () -> client.read().resource(Observation.class).withId("helper").execute());

    assertEquals(503, e.getStatusCode());
    assertTrue(e.getMessage().contains(OPEN_TEXT), e.getMessage());
  }

  @Test
  void after_the_wait_probes_half_open_the_circuit_and_their_success_closes_it() {
    start(Map.of());
    try (LogCapture logs = new LogCapture()) {
      openTheCircuit();
      backend.mode(Mode.UP);
      clock.advance(Duration.ofSeconds(30).plusMillis(1));

      assertEquals(200, server.get(HELPER).statusCode());
      assertEquals("HALF_OPEN", state());
      assertEquals(200, server.get(HELPER).statusCode());
      assertEquals("CLOSED", state());
      assertEquals(200, server.get(HELPER).statusCode());

      assertEquals(List.of("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED"),
          transitions(logs));
    }
  }

  @Test
  void failed_probes_open_the_circuit_again_for_a_full_wait() {
    start(Map.of());
    openTheCircuit();
    clock.advance(Duration.ofSeconds(31));

    assertEquals(502, server.get(HELPER).statusCode());
    assertEquals(502, server.get(HELPER).statusCode());
    HttpResponse<String> response = server.get(HELPER);

    assertError(response, 503, "CIRCUIT_OPEN");
    assertEquals(30, retryAfter(response));
    assertEquals("OPEN", state());
  }

  @Test
  void an_open_circuit_fails_fast_in_the_hapi_path_too() {
    start(Map.of());
    openTheCircuit();

    HttpResponse<String> response = server.get("/fhir/Observation/helper");

    OperationOutcome outcome = assertError(response, 503, "CIRCUIT_OPEN");
    assertTrue(diagnostics(outcome).startsWith(OPEN_TEXT), diagnostics(outcome));
    assertEquals(30, retryAfter(response));
    assertNothingLeaks(response, backend.port(), server.port());
  }

  @Test
  void slow_calls_open_the_circuit_even_when_they_succeed() {
    start(Map.of(
        "fhirguard.upstreams.records.slow-call-duration-threshold", "50ms",
        "fhirguard.upstreams.records.slow-call-rate-threshold", "50"));
    backend.mode(Mode.SLOW);
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 4; i++) {
        assertEquals(200, server.get(HELPER).statusCode());
      }

      assertError(server.get(HELPER), 503, "CIRCUIT_OPEN");
      String opened = logs.events().stream()
          .filter(e -> e.getLoggerName().equals("dev.fhirguard.upstream"))
          .map(ILoggingEvent::getFormattedMessage).findFirst().orElse("");
      assertTrue(opened.contains("slow-call rate 100%"), opened);
    }
  }

  @Test
  void answers_that_say_nothing_about_the_backends_health_do_not_open_the_circuit() {
    start(Map.of());
    backend.mode(Mode.NOT_SUPPORTED);

    for (int i = 0; i < 6; i++) {
      assertError(server.get(HELPER), 501, "UPSTREAM_NOT_SUPPORTED");
    }
    assertEquals("CLOSED", state());
  }

  @Test
  void each_state_change_is_logged_once_with_the_upstream_name() {
    start(Map.of());
    try (LogCapture logs = new LogCapture()) {
      openTheCircuit();
      for (int i = 0; i < 3; i++) {
        server.get(HELPER);
      }

      List<ILoggingEvent> lines = upstreamLines(logs);
      assertEquals(1, lines.size(), LogCapture.render(lines));
      assertTrue(lines.get(0).getFormattedMessage().startsWith("Upstream records: circuit CLOSED"
          + " -> OPEN (failure rate 100%"), lines.get(0).getFormattedMessage());
    }
  }

  private static List<ILoggingEvent> upstreamLines(LogCapture logs) {
    return logs.events().stream()
        .filter(e -> e.getLoggerName().equals("dev.fhirguard.upstream")).toList();
  }

  private static List<String> transitions(LogCapture logs) {
    return upstreamLines(logs).stream()
        .map(ILoggingEvent::getFormattedMessage)
        .map(m -> m.replaceAll("^Upstream records: circuit (\\w+ -> \\w+).*$", "$1"))
        .toList();
  }
}
