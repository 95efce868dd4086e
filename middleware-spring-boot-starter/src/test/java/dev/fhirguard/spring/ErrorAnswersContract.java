package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.spring.testing.FhirApp;
import dev.fhirguard.spring.testing.Raw;
import dev.fhirguard.spring.testing.Tokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every kind of error of the test application ({@link FhirApp}, configured by its {@code
 * fhir-app.yml} only) is one OperationOutcome with exactly one {@code X-Request-ID}, over real
 * HTTP, on the embedded container of the subclass.
 */
abstract class ErrorAnswersContract {

  static ConfigurableApplicationContext app;
  static int port;

  @BeforeAll
  static void startApplication() {
    app = FhirApp.start();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stopApplication() {
    app.close();
  }

  static Raw.Response send(String method, String target, String... headers) {
    return Raw.send(port, method, target, null, headers);
  }

  static String bearer() {
    return Tokens.bearer("test-app", Tokens.ALL_PATIENTS);
  }

  @Test
  void a_read_with_a_valid_token_is_answered_by_hapi() {
    Raw.Response response = send("GET", "/fhir/Patient/1", "Authorization", bearer());
    assertEquals(200, response.status(), response::toString);
    assertTrue(response.body().contains("Chalmers"), response::toString);
    assertEquals(1, response.headers("X-Request-ID").size(), response::toString);
  }

  @Test
  void a_read_without_a_token_is_a_401_because_the_yml_enables_auth() {
    Raw.Response response = send("GET", "/fhir/Patient/1");
    assertOutcome(response, 401, "TOKEN_MISSING");
    assertEquals("Bearer realm=\"fhir\"", response.header("WWW-Authenticate"));
  }

  @Test
  void a_token_for_another_audience_of_the_yaml_list_is_accepted() {
    // audience is a YAML list in fhir-app.yml; its second element is not in the token: the
    // token names the first, which must be accepted, so the whole list arrived.
    Raw.Response response = send("GET", "/fhir/Patient/1", "Authorization", bearer());
    assertEquals(200, response.status(), response::toString);
  }

  @Test
  void a_read_outside_the_token_scopes_is_a_403() {
    Raw.Response response = send("GET", "/fhir/Patient/1",
        "Authorization", Tokens.bearer("test-app", "system/Observation.rs"));
    assertOutcome(response, 403, "SCOPE_INSUFFICIENT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void an_unmapped_path_is_a_404_for_every_method(String method) {
    assertOutcome(send(method, "/nowhere", "Authorization", bearer()), 404, "NOT_FOUND");
  }

  @Test
  void an_unknown_patient_is_a_404_from_hapi() {
    assertOutcome(send("GET", "/fhir/Patient/999", "Authorization", bearer()), 404,
        "RESOURCE_NOT_FOUND");
  }

  @Test
  void a_verb_the_fhir_server_does_not_support_is_a_405() {
    assertOutcome(send("DELETE", "/fhir/Patient/1", "Authorization", bearer()), 405,
        "METHOD_NOT_ALLOWED");
  }

  @Test
  void trace_is_a_405() {
    assertOutcome(send("TRACE", "/fhir/Patient/1", "Authorization", bearer()), 405,
        "METHOD_NOT_ALLOWED");
  }

  @Test
  void a_body_hapi_cannot_parse_is_a_400() {
    Raw.Response response = Raw.send(port, "POST", "/fhir/Patient", "{not json",
        "Authorization", bearer(), "Content-Type", "application/fhir+json");
    assertOutcome(response, 400, "INVALID_RESOURCE");
  }

  @Test
  void a_non_fhir_400_of_a_spring_controller_is_an_outcome() {
    assertOutcome(send("GET", "/api/bad", "Authorization", bearer()), 400, "INVALID_REQUEST");
  }

  @Test
  void a_failing_fhir_read_is_a_500_without_its_text() {
    assertOutcome(send("GET", "/fhir/Patient/500", "Authorization", bearer()), 500,
        "INTERNAL_ERROR");
  }

  @Test
  void a_failing_spring_controller_is_a_500_without_its_text() {
    assertOutcome(send("GET", "/api/boom", "Authorization", bearer()), 500, "INTERNAL_ERROR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE"})
  void an_exception_before_fhirguards_filter_reaches_the_error_page_as_a_500(String method) {
    assertOutcome(send(method, "/early/throw"), 500, "INTERNAL_ERROR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PATCH"})
  void an_error_status_before_fhirguards_filter_reaches_the_error_page(String method) {
    assertOutcome(send(method, "/early/status/404"), 404, "NOT_FOUND");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Patient/%zz", "/fhir/Patient/a|b", "/fhir/../../etc/passwd"})
  void a_request_uri_the_container_refuses_is_a_400_outcome(String target) {
    Raw.Response response = Raw.exchange(port, ("GET " + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void a_malformed_header_line_is_a_400_outcome() {
    Raw.Response response = Raw.exchange(port, ("GET /fhir/Patient/1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nBad Header\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void a_client_over_its_yml_rate_limit_gets_a_429() {
    String token = Tokens.bearer("limited-client", Tokens.ALL_PATIENTS);
    assertEquals(200, send("GET", "/fhir/Patient/1", "Authorization", token).status());
    assertOutcome(send("GET", "/fhir/Patient/1", "Authorization", token), 429,
        "RATE_LIMITED");
  }

  @Test
  void maintenance_switched_on_by_the_actuator_endpoint_is_a_503_and_out_of_service() {
    HealthEndpoint health = app.getBean(HealthEndpoint.class);
    try {
      Raw.Response on = Raw.send(port, "POST", "/actuator/fhirguard", "{\"maintenance\":true}",
          "Content-Type", "application/json");
      assertEquals(200, on.status(), on::toString);
      assertTrue(on.body().contains("\"maintenance\":true"), on::toString);
      Raw.Response refused = send("GET", "/fhir/Patient/1", "Authorization", bearer());
      assertOutcome(refused, 503, "MAINTENANCE");
      assertEquals(1, refused.headers("Retry-After").size(), refused::toString);
      assertEquals(Status.OUT_OF_SERVICE, health.healthForPath("fhirguard").getStatus());
      // Actuator answers 503; being a 5xx that is not FHIR, its body becomes an outcome too.
      assertOutcome(send("GET", "/actuator/health"), 503, "SERVICE_UNAVAILABLE");
    } finally {
      Raw.send(port, "POST", "/actuator/fhirguard", "{\"maintenance\":false}",
          "Content-Type", "application/json");
    }
    assertEquals(200, send("GET", "/fhir/Patient/1", "Authorization", bearer()).status());
    assertEquals(Status.UP, health.healthForPath("fhirguard").getStatus());
    assertTrue(send("GET", "/actuator/health").body()
        .contains("\"fhirguard\":{\"status\":\"UP\",\"details\":{\"maintenance\":false}}"));
  }

  @Test
  void the_actuator_info_shows_the_effective_settings_with_secrets_masked() {
    Raw.Response info = send("GET", "/actuator/info");
    assertEquals(200, info.status(), info::toString);
    assertTrue(info.body().contains("\"fhirguard.auth.enabled\":\"true\""), info::toString);
    assertTrue(info.body().contains(
        "\"fhirguard.clients.limited-client.rate-limit.capacity\":\"1\""), info::toString);
  }
}
