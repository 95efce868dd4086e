package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What HAPI serves without a token is decided by the interaction HAPI selected, not by the path:
 * on a public path only the public operations ({@code fhirguard.auth.public-operations}, the
 * capability statement by default) run without a token; and a request HAPI serves is charged to
 * its client like any other, even when it is shaped like a CORS preflight.
 */
class PublicAccessTest {

  /** A data path made public by mistake: only the capability statement may run there. */
  @RegisterExtension
  static final TestServer wide = ScopedFhirServer.appWithTestTokens().settings(Map.of(
      "fhirguard.auth.public-paths", "/fhir/metadata, /fhir/Patient/*")).perClass();

  /** Patient reads made public on purpose, searches not. */
  @RegisterExtension
  static final TestServer reads = ScopedFhirServer.appWithTestTokens().settings(Map.of(
      "fhirguard.auth.public-paths", "/fhir/metadata, /fhir/Patient/*",
      "fhirguard.auth.public-operations", "metadata, read")).perClass();

  /** A small rate limit, to see whose bucket a request is charged to. */
  @RegisterExtension
  static final TestServer limited = ScopedFhirServer.appWithTestTokens().settings(Map.of(
      "fhirguard.rate-limit.enabled", "true",
      "fhirguard.rate-limit.capacity", "2",
      "fhirguard.rate-limit.period", "1h")).perClass();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /fhir/Patient/1, Patient.read",
      "GET, /fhir/Patient/_history, Patient.history-type",
      "GET, /fhir/Patient/1/$summary, Patient.$summary"})
  void a_handler_other_than_the_capability_statement_on_a_public_path_needs_a_token(
      String method, String path, String key) {
    int before = wide.servlet(ScopedFhirServer.class).calls(key);
    HttpResponse<String> response = wide.send(method, path, null);
    assertEquals(before, wide.servlet(ScopedFhirServer.class).calls(key),
        "the provider ran without a token");
    assertUnauthorized(response, "TOKEN_MISSING", "login", "no Authorization header");
  }

  private static void assertServed(HttpResponse<String> response, String text) {
    assertEquals(200, response.statusCode(), response::body);
    assertTrue(response.body().contains(text), response::body);
  }

  @Test
  void the_capability_statement_on_a_public_path_still_needs_no_token() {
    assertServed(wide.get("/fhir/metadata"), "CapabilityStatement");
  }

  @Test
  void a_token_on_a_public_path_reaches_a_handler_that_is_not_public() {
    assertServed(wide.get("/fhir/Patient/1", ScopeTokens.bearer("system/Patient.r")), "Chalmers");
  }

  @Test
  void a_configured_public_operation_runs_without_a_token_on_a_public_path() {
    assertServed(reads.get("/fhir/Patient/1"), "Chalmers");
  }

  @Test
  void an_operation_not_configured_public_needs_a_token_on_the_same_public_path() {
    int before = reads.servlet(ScopedFhirServer.class).calls("Patient.history-type");
    HttpResponse<String> response = reads.get("/fhir/Patient/_history");
    assertEquals(before, reads.servlet(ScopedFhirServer.class).calls("Patient.history-type"));
    assertUnauthorized(response, "TOKEN_MISSING", "login", "no Authorization header");
  }

  @Test
  void a_request_shaped_like_a_cors_preflight_with_a_token_is_charged_to_its_client() {
    String[] token = ScopeTokens.bearer("system/*.rs");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> spent = limited.get("/fhir/Patient/1", token);
      assertEquals(200, spent.statusCode(), spent::body);
    }
    int before = limited.servlet(ScopedFhirServer.class).calls("Patient.history-type");
    HttpResponse<String> response = limited.send("OPTIONS", "/fhir/Patient/_history", null,
        token[0], token[1], "Origin", "https://app.example",
        "Access-Control-Request-Method", "GET");
    assertEquals(before, limited.servlet(ScopedFhirServer.class).calls("Patient.history-type"),
        "HAPI served a request charged to nobody's bucket");
    assertError(response, 429, "RATE_LIMITED");
  }
}
