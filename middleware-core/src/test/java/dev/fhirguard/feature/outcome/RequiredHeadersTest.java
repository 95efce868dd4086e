package dev.fhirguard.feature.outcome;

import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fhirguard.ContainerError;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an error status requires travels with every error fhirguard sends or lets pass, whoever
 * produced it: {@code WWW-Authenticate: Bearer realm="..."} with a 401 (RFC 9110 §15.5.2, RFC
 * 6750 §3) and {@code Allow} with a 405 (RFC 9110 §15.5.6). A header the sender set stays.
 */
class RequiredHeadersTest {

  /** An application servlet that only takes POST. */
  static final class PostOnlyServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write("posted");
    }
  }

  @RegisterExtension
  static final TestServer server = TestServer.builder()
      .settings(Map.of("fhirguard.auth.realm", "ehr-gateway"))
      .fhir("/fhir/*", new TestFhirServer()).servlet("/plain/*", new PlainServlet())
      .servlet("/post-only/*", new PostOnlyServlet()).perClass();

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    // a gateway's JSON error body, turned into an outcome by the error boundary
    "GET, /plain/json/401",
    "GET, /plain/html/401",
    "GET, /plain/send-error/401",
    "GET, /plain/status/401",
    "HEAD, /plain/status/401",
    // a FHIR body the application wrote itself, passed as written
    "GET, /plain/fhir-oo/401",
    // HAPI's AuthenticationException
    "GET, /fhir/Patient/unauthenticated",
  })
  void every_401_carries_a_bearer_challenge_with_the_configured_realm(String method, String path) {
    HttpResponse<String> response = server.send(method, path, null);

    assertEquals(401, response.statusCode(), response.body());
    assertEquals("Bearer realm=\"ehr-gateway\"", header(response, "WWW-Authenticate"));
  }

  @Test
  void a_gateway_s_json_401_is_an_outcome_with_the_challenge() {
    HttpResponse<String> response = server.get("/plain/json/401");

    assertError(response, 401, "AUTHENTICATION_REQUIRED");
    assertEquals("Bearer realm=\"ehr-gateway\"", header(response, "WWW-Authenticate"));
  }

  @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
  @CsvSource(delimiter = '|', value = {
      // the container's own 404 servlet, which only overrides doGet
      "PUT    | /nowhere                | GET, HEAD, OPTIONS",
      "DELETE | /nowhere                | GET, HEAD, OPTIONS",
      "POST   | /nowhere                | GET, HEAD, OPTIONS",
      "PATCH  | /nowhere                | GET, HEAD, OPTIONS",
      // an application servlet, by its doXxx methods
      "GET    | /post-only/x            | POST, OPTIONS",
      "PUT    | /post-only/x            | POST, OPTIONS",
      // a servlet that dispatches by itself: the safe methods, less the refused one
      "PUT    | /plain/send-error/405   | GET, HEAD, OPTIONS",
      "GET    | /plain/status/405       | OPTIONS",
      "PUT    | /plain/fhir-oo/405      | GET, HEAD, OPTIONS",
      // HAPI, by its bindings (every kind of path: AllowHeaderEdgeTest)
      "DELETE | /fhir/Patient/1         | GET, HEAD",
  })
  void every_405_says_which_methods_the_target_allows(String method, String path, String allow) {
    HttpResponse<String> response = server.send(method, path, "PUT".equals(method) ? "{}" : null);

    assertEquals(405, response.statusCode(), response.body());
    assertEquals(allow, header(response, "Allow"), response.headers().map().toString());
  }

  @Test
  void a_challenge_and_methods_the_application_set_itself_stay() {
    HttpResponse<String> unauthorized = server.get("/plain/own-headers/401");
    HttpResponse<String> notAllowed = server.send("PUT", "/plain/own-headers/405", "{}");

    assertEquals("Basic realm=\"legacy\"", header(unauthorized, "WWW-Authenticate"));
    assertEquals("GET", header(notAllowed, "Allow"));
  }

  @Test
  void other_errors_get_neither_header() {
    HttpResponse<String> response = server.get("/plain/json/403");

    assertEquals(403, response.statusCode());
    assertNull(header(response, "WWW-Authenticate"));
    assertNull(header(response, "Allow"));
  }

  @Test
  void the_container_error_handlers_add_them_too() {
    FhirGuard errors =
        FhirGuard.create(FhirGuardConfig.load(Map.of("fhirguard.auth.realm", "edge")));

    Map<String, String> on401 = errors.answer(problem("GET", 401, name -> null)).headers();
    Map<String, String> on405 = errors.answer(problem("DELETE", 405, name -> null)).headers();
    Map<String, String> kept = errors.answer(
        problem("DELETE", 405, name -> name.equals("Allow") ? "GET" : null)).headers();

    assertEquals("Bearer realm=\"edge\"", on401.get("WWW-Authenticate"));
    assertEquals("GET, HEAD, OPTIONS", on405.get("Allow"));
    assertNull(kept.get("Allow"), "the response has its own Allow already");
  }

  private static ContainerError problem(String method, int status,
      java.util.function.UnaryOperator<String> responseHeader) {
    return new ContainerError(false, method, "/x", null, name -> null, name -> null, status, null,
        null, responseHeader);
  }
}
