package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static dev.fhirguard.testing.AuthAssertions.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.IntrospectionServer;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.WhoAmIServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opaque tokens checked at a real RFC 7662 introspection endpoint on loopback, which insists on
 * the configured HTTP Basic credentials.
 */
class IntrospectionTest {

  private static final String PATIENT = "/fhir/Patient/1";
  private static final String CLIENT = "fhir-server";
  private static final String SECRET = "introspection-s3cret";

  private final TestClock clock = TestClock.atNow();
  private IntrospectionServer endpoint;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static Map<String, String> settings(String url, String clientId, String secret) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.verifier", "introspection",
        "fhirguard.auth.introspection-url", url));
    if (clientId != null) {
      settings.put("fhirguard.auth.introspection-client-id", clientId);
      settings.put("fhirguard.auth.introspection-client-secret", secret);
    }
    return settings;
  }

  private TestServer serve(Map<String, String> settings) {
    server = TestServer.tokenApp().settings(settings).clock(clock).start();
    return server;
  }

  /** An endpoint expecting {@link #CLIENT} / {@link #SECRET}, and a server that sends them. */
  private TestServer serveWithEndpoint() {
    endpoint = IntrospectionServer.start(CLIENT, SECRET);
    return serve(settings(endpoint.url().toString(), CLIENT, SECRET));
  }

  private static String opaque() {
    return "op_" + UUID.randomUUID().toString().replace("-", "");
  }

  private String active(String clientId, String extra) {
    long exp = clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond();
    return "{\"active\":true,\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\","
        + "\"token_type\":\"Bearer\",\"exp\":" + exp + extra + "}";
  }

  private HttpResponse<String> call(String token) {
    return server.get(PATIENT, "Authorization", "Bearer " + token);
  }

  @Test
  void an_active_opaque_token_reaches_hapi_and_the_endpoint_got_a_proper_rfc_7662_request() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, active("lab-app", ""));
    HttpResponse<String> response = call(token);
    assertEquals(200, response.statusCode(), response::body);
    assertEquals(1, endpoint.requests());
    assertEquals(token, endpoint.lastForm().get("token"));
    assertEquals("access_token", endpoint.lastForm().get("token_type_hint"));
    assertTrue(endpoint.lastContentType().startsWith("application/x-www-form-urlencoded"),
        endpoint.lastContentType());
  }

  @Test
  void the_introspected_client_and_scopes_are_what_the_application_sees() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, active("billing-app", ",\"sub\":\"svc-42\""));
    HttpResponse<String> response = server.get("/whoami/x", "Authorization", "Bearer " + token);
    assertEquals(200, response.statusCode(), response::body);
    Map<String, String> seen = WhoAmIServlet.parse(response.body());
    assertEquals("billing-app", seen.get("principal"));
    assertEquals("svc-42", seen.get("subject"));
    assertEquals("system/Patient.rs", seen.get("scopes"));
  }

  @Test
  void an_inactive_token_is_token_inactive_with_invalid_token() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, "{\"active\":false}");
    assertUnauthorized(call(token), "TOKEN_INACTIVE", "security",
        "the authorization server reports it revoked, expired or unknown");
  }

  @Test
  void a_token_the_endpoint_does_not_know_is_inactive() {
    serveWithEndpoint();
    assertUnauthorized(call(opaque()), "TOKEN_INACTIVE", "security", "not active");
  }

  @Test
  void active_as_the_string_true_is_not_active() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, "{\"active\":\"true\",\"client_id\":\"lab-app\"}");
    assertUnauthorized(call(token), "TOKEN_INACTIVE", "security", "not active");
  }

  @Test
  void wrong_credentials_at_the_endpoint_are_a_503_not_a_401_for_the_client() {
    endpoint = IntrospectionServer.start(CLIENT, SECRET);
    serve(settings(endpoint.url().toString(), CLIENT, "not-the-secret"));
    String token = opaque();
    endpoint.answer(token, active("lab-app", ""));
    try (LogCapture logs = new LogCapture()) {
      assertUnavailable(call(token), "not-the-secret", "introspect");
      assertEquals(1, endpoint.requests());
      for (String line : logs.lines()) {
        assertFalse(line.contains(token), line);
        assertFalse(line.contains("not-the-secret"), line);
      }
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("introspection")),
          "the failure is logged for the operator");
    }
  }

  @Test
  void credentials_with_reserved_characters_are_form_encoded_before_basic() {
    String id = "fhir-server:1+x";
    String secret = "p@ss:w%rd&=+/ü";
    endpoint = IntrospectionServer.start(id, secret);
    serve(settings(endpoint.url().toString(), id, secret));
    String token = opaque();
    endpoint.answer(token, active("lab-app", ""));
    HttpResponse<String> response = call(token);
    assertEquals(200, response.statusCode(), response::body);
  }

  @Test
  void an_endpoint_that_is_down_is_a_503_with_retry_after() {
    serve(settings(JwksServer.unreachableUrl().toString(), CLIENT, SECRET));
    assertUnavailable(call(opaque()));
  }

  @Test
  void an_endpoint_answering_something_other_than_json_is_a_503() {
    endpoint = IntrospectionServer.start(CLIENT, SECRET);
    serve(settings(endpoint.url().toString(), CLIENT, SECRET));
    String token = opaque();
    endpoint.answer(token, "<html>maintenance</html>");
    assertUnavailable(call(token), "maintenance");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[]", "7", "\"active\"", "true", "[{\"active\":true}]"})
  void an_endpoint_answering_json_that_is_not_an_object_is_a_503_logged_as_one_warning(
      String answer) {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, answer);
    try (LogCapture logs = new LogCapture()) {
      assertUnavailable(call(token));
      logs.assertQuiet();
    }
  }

  /**
   * Every member an answer is read for, with a value of every JSON type and numbers beyond any
   * date: the answer is about the token, so it is accepted or refused (2xx, 401, 403), never a
   * 5xx, and nothing is logged at ERROR.
   */
  @Test
  void members_of_any_json_type_in_an_active_answer_are_read_or_refused_never_a_server_error() {
    serveWithEndpoint();
    List<String> values = List.of("null", "true", "0", "-1", "1.5", "1e300", "-1e300",
        "99999999999999999999999", "\"x\"", "\"\"", "[]", "[null,1,\"x\",[{}]]", "{}",
        "{\"a\":{\"b\":[null]}}");
    long exp = clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond();
    try (LogCapture logs = new LogCapture()) {
      for (String member : List.of("active", "exp", "nbf", "iat", "client_id", "sub", "scope",
          "scp", "aud", "iss")) {
        for (String value : values) {
          Map<String, String> members = new LinkedHashMap<>(Map.of("active", "true",
              "client_id", "\"lab-app\"", "scope", "\"system/Patient.rs\"", "exp", "" + exp));
          members.put(member, value);
          String answer = members.entrySet().stream()
              .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
              .collect(Collectors.joining(",", "{", "}"));
          String token = opaque();
          endpoint.answer(token, answer);
          HttpResponse<String> response = call(token);
          assertTrue(response.statusCode() == 200 || response.statusCode() == 401
              || response.statusCode() == 403, () -> answer + " -> " + response.body());
        }
      }
      logs.assertQuiet();
    }
  }

  @Test
  void an_active_answer_is_cached_until_its_exp_and_asked_again_after() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, active("lab-app", ""));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, call(token).statusCode());
    }
    assertEquals(1, endpoint.requests());
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    endpoint.answer(token, "{\"active\":false}");
    assertUnauthorized(call(token), "TOKEN_INACTIVE", "security", "not active");
    assertEquals(2, endpoint.requests());
  }

  @Test
  void an_active_answer_without_exp_is_accepted_but_never_cached() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, "{\"active\":true,\"client_id\":\"lab-app\",\"scope\":\"system/Patient.rs\"}");
    assertEquals(200, call(token).statusCode());
    assertEquals(200, call(token).statusCode());
    assertEquals(2, endpoint.requests());
  }

  @Test
  void an_active_answer_with_an_exp_already_past_is_expired() {
    serveWithEndpoint();
    String token = opaque();
    long past = clock.instant().minus(Duration.ofMinutes(5)).getEpochSecond();
    endpoint.answer(token, "{\"active\":true,\"client_id\":\"lab-app\",\"exp\":" + past + "}");
    assertUnauthorized(call(token), "TOKEN_EXPIRED", "expired", "expired");
  }

  @Test
  void the_configured_audience_and_issuer_are_checked_on_the_introspection_answer() {
    endpoint = IntrospectionServer.start(CLIENT, SECRET);
    Map<String, String> settings = settings(endpoint.url().toString(), CLIENT, SECRET);
    settings.put("fhirguard.auth.audience", "https://fhir.example.org/fhir");
    settings.put("fhirguard.auth.issuer", "https://auth.example.org");
    serve(settings);
    String wrongAudience = opaque();
    endpoint.answer(wrongAudience, active("lab-app",
        ",\"aud\":\"https://other.example.org\",\"iss\":\"https://auth.example.org\""));
    assertUnauthorized(call(wrongAudience), "TOKEN_AUDIENCE_INVALID", "security",
        "Token issued for a different API endpoint");
    String wrongIssuer = opaque();
    endpoint.answer(wrongIssuer, active("lab-app",
        ",\"aud\":\"https://fhir.example.org/fhir\",\"iss\":\"https://evil.example.org\""));
    assertUnauthorized(call(wrongIssuer), "TOKEN_ISSUER_INVALID", "security", "iss must be");
    String right = opaque();
    endpoint.answer(right, active("lab-app",
        ",\"aud\":[\"x\",\"https://fhir.example.org/fhir\"],\"iss\":\"https://auth.example.org\""));
    assertEquals(200, call(right).statusCode());
  }

  @Test
  void an_active_answer_naming_no_client_lacks_a_required_claim() {
    serveWithEndpoint();
    String token = opaque();
    endpoint.answer(token, "{\"active\":true,\"scope\":\"system/Patient.rs\"}");
    assertUnauthorized(call(token), "TOKEN_CLAIMS_INVALID", "security", "names no client");
  }
}
