package dev.fhirguard.feature.upstream;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static dev.fhirguard.testing.UpstreamBodies.assertNothingLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.Backend.Mode;
import dev.fhirguard.testing.Backend;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each way a real backend fails, over real HTTP, in the filter path (a plain servlet) and the
 * HAPI interceptor path: status, issue code, catalog code, diagnostics, headers, and a body that
 * names nothing internal. The circuit never opens here (see {@link CircuitBreakerTest}).
 */
class UpstreamFailureTest {

  /** The two ways an application's failure reaches fhirguard. */
  enum Route {
    FILTER("/upstream/helper", "/upstream/raw"),
    HAPI("/fhir/Observation/helper", "/fhir/Observation/raw");

    final String helper;
    final String raw;

    Route(String helper, String raw) {
      this.helper = helper;
      this.raw = raw;
    }
  }

  private static TestServer server;
  private static Backend backend;

  @BeforeAll
  static void start() {
    backend = Backend.start();
    server = backend.frontedBy(FhirGuard.create(FhirGuardConfig.load(Map.of(
        "fhirguard.upstreams.records.display-name", "patient record service",
        "fhirguard.upstreams.records.sliding-window-size", "10000",
        "fhirguard.upstreams.records.minimum-number-of-calls", "10000"))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void backendUpAgain() {
    backend.mode(Mode.UP);
  }

  private static HttpResponse<String> get(String path, Mode mode) {
    backend.mode(mode);
    HttpResponse<String> response = server.get(path);
    assertNothingLeaks(response, backend.port(), server.port());
    return response;
  }

  private static void assertDiagnostics(String expected, OperationOutcome outcome,
      HttpResponse<String> response) {
    assertEquals(expected + " Transaction id: " + requestId(response), diagnostics(outcome));
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_backend_that_answers_passes_its_data_through(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.UP);

    assertEquals(200, response.statusCode(), response.body());
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_closed_port_is_a_502_naming_the_upstream_by_its_display_name(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.DOWN);

    OperationOutcome outcome = assertError(response, 502, "UPSTREAM_UNREACHABLE");
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertDiagnostics("The patient record service could not be reached. Retry later.", outcome,
        response);
    assertFalse(response.headers().firstValue("Retry-After").isPresent());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_backend_slower_than_the_client_timeout_is_a_504(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.SLOW);

    OperationOutcome outcome = assertError(response, 504, "UPSTREAM_TIMEOUT");
    assertEquals("timeout", outcome.getIssueFirstRep().getCode().toCode());
    assertDiagnostics("The patient record service did not answer in time. Retry later.", outcome,
        response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_backend_503_is_a_503_that_passes_on_its_retry_after(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.UNAVAILABLE);

    OperationOutcome outcome = assertError(response, 503, "UPSTREAM_UNAVAILABLE");
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("120", response.headers().firstValue("Retry-After").orElse(null));
    assertDiagnostics(
        "The patient record service is temporarily unavailable. Please retry after 120 seconds.",
        outcome, response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void an_action_the_backend_does_not_implement_is_a_501_not_supported(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.NOT_SUPPORTED);

    OperationOutcome outcome = assertError(response, 501, "UPSTREAM_NOT_SUPPORTED");
    assertEquals("not-supported", outcome.getIssueFirstRep().getCode().toCode());
    assertDiagnostics("The patient record service does not support this operation.", outcome,
        response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_backend_500_is_a_502_bad_response_without_the_backend_text(Route route) {
    HttpResponse<String> response = get(route.helper, Mode.ERROR);

    OperationOutcome outcome = assertError(response, 502, "UPSTREAM_BAD_RESPONSE");
    assertDiagnostics("The patient record service answered with an error or an unusable"
        + " response.", outcome, response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void a_refused_connection_thrown_without_the_helper_is_still_a_502_with_the_catalog_text(
      Route route) {
    HttpResponse<String> response = get(route.raw, Mode.DOWN);

    OperationOutcome outcome = assertError(response, 502, "UPSTREAM_UNREACHABLE");
    assertDiagnostics(ErrorCode.UPSTREAM_UNREACHABLE.defaultText(), outcome, response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void an_http_client_timeout_thrown_without_the_helper_is_a_504(Route route) {
    HttpResponse<String> response = get(route.raw, Mode.SLOW);

    OperationOutcome outcome = assertError(response, 504, "UPSTREAM_TIMEOUT");
    assertDiagnostics(ErrorCode.UPSTREAM_TIMEOUT.defaultText(), outcome, response);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void an_upstream_exception_thrown_by_the_application_names_its_upstream(Route route) {
    HttpResponse<String> response = get(route.raw, Mode.UNAVAILABLE);

    OperationOutcome outcome = assertError(response, 503, "UPSTREAM_UNAVAILABLE");
    assertEquals("120", response.headers().firstValue("Retry-After").orElse(null));
    assertTrue(diagnostics(outcome).startsWith("The patient record service is temporarily"),
        diagnostics(outcome));
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void the_answer_is_negotiated_like_every_other_error(Route route) {
    backend.mode(Mode.DOWN);
    HttpResponse<String> response = server.get(route.helper, "Accept", "application/fhir+xml");

    assertError(response, 502, "UPSTREAM_UNREACHABLE", true);
    assertNothingLeaks(response, backend.port(), server.port());
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void an_application_exception_nothing_maps_is_a_500_with_the_generic_text(Route route) {
    String path = route == Route.FILTER ? "/upstream/throw/ehr-down" : "/fhir/Observation/ehr-down";
    HttpResponse<String> response = get(path, Mode.UP);

    OperationOutcome outcome = assertError(response, 500, "INTERNAL_ERROR");
    assertEquals("exception", outcome.getIssueFirstRep().getCode().toCode());
    assertDiagnostics(ErrorCode.INTERNAL_ERROR.defaultText(), outcome, response);
  }
}
