package dev.fhirguard.feature.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.GuardListener;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.testing.GuardServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every entry point hands its error to the one handler: each answer is classified with the
 * configured exception mappings, whatever the path, and told to the listeners exactly once, with
 * the stage it came from and the verified client.
 */
class OneErrorPathTest {

  /** The application's exception that the configuration maps to an upstream failure. */
  private static final Map<String, String> MAPPED = Map.of(
      "fhirguard.upstream.exception-mappings", "java.lang.IllegalStateException=upstream_unavailable");

  private final List<GuardListener.Outcome> told = new CopyOnWriteArrayList<>();
  private GuardServer server;

  private GuardServer start(Map<String, String> settings) {
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(settings))
        .listener(new GuardListener() {
          @Override
          public void onOutcome(Outcome outcome) {
            told.add(outcome);
          }
        })
        .tokenVerifier(token -> new VerifiedClient(token, null,
            token.startsWith("reader") ? List.of("system/Patient.rs") : List.of(), Instant.MAX,
            Map.of()))
        .build();
    server = GuardServer.start(guard);
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void assertToldOnce(int status, ErrorCode code, String clientId, String stage) {
    assertEquals(List.of(new GuardListener.Outcome(status, code, clientId, stage)), told);
  }

  @Test
  void a_mapped_exception_through_the_filter_is_the_mapped_answer_told_once() {
    HttpResponse<String> response = start(MAPPED).get("/plain/throw/500");

    assertEquals(503, response.statusCode());
    assertToldOnce(503, ErrorCode.UPSTREAM_UNAVAILABLE, null, "application");
  }

  @Test
  void a_mapped_exception_through_hapi_is_the_mapped_answer_told_once() {
    HttpResponse<String> response = start(MAPPED).get("/fhir/Patient/sql");

    assertEquals(503, response.statusCode());
    assertToldOnce(503, ErrorCode.UPSTREAM_UNAVAILABLE, null, "application");
  }

  @Test
  void a_mapped_exception_the_container_reports_is_the_mapped_answer_told_once() {
    ContainerAnswer answer = start(MAPPED).guard().answer(new ContainerError(false, "GET",
        "/fhir/Patient/1", null, name -> null, name -> null, 500, null,
        new IllegalStateException("pool exhausted"), name -> null));

    assertEquals(503, answer.status());
    assertToldOnce(503, ErrorCode.UPSTREAM_UNAVAILABLE, null, "container");
  }

  @Test
  void an_application_send_error_is_told_once() {
    assertEquals(409, start(Map.of()).get("/plain/send-error/409").statusCode());

    assertToldOnce(409, ErrorCode.CONFLICT, null, "application");
  }

  @Test
  void a_refused_trace_is_told_once_as_the_method_stage() {
    assertEquals(405, start(Map.of()).send("TRACE", "/fhir/metadata", null).statusCode());

    assertToldOnce(405, ErrorCode.METHOD_NOT_ALLOWED, null, "method");
  }

  @Test
  void a_request_without_a_token_is_told_once_as_the_authentication_stage() {
    assertEquals(401, start(Map.of("fhirguard.auth.enabled", "true")).get("/fhir/Patient/1")
        .statusCode());

    assertToldOnce(401, ErrorCode.TOKEN_MISSING, null, "authentication");
  }

  @Test
  void a_hapi_error_of_a_verified_client_is_told_once_with_its_client_id() {
    HttpResponse<String> response = start(Map.of("fhirguard.auth.enabled", "true"))
        .get("/fhir/Patient/unknown", "Authorization", "Bearer reader-7");

    assertEquals(404, response.statusCode());
    assertToldOnce(404, ErrorCode.RESOURCE_NOT_FOUND, "reader-7", "application");
  }

  @Test
  void a_missing_scope_is_told_once_as_the_authorization_stage_with_its_client_id() {
    HttpResponse<String> response = start(Map.of("fhirguard.auth.enabled", "true"))
        .get("/fhir/Patient/1", "Authorization", "Bearer app-8");

    assertEquals(403, response.statusCode());
    assertToldOnce(403, ErrorCode.SCOPE_INSUFFICIENT, "app-8", "authorization");
  }
}
