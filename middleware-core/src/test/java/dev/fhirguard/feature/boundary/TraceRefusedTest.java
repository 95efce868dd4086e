package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TRACE is refused on every path, whatever the servlet behind it would do: HttpServlet's default
 * doTrace echoes the request, Authorization header included.
 */
class TraceRefusedTest {

  @RegisterExtension static final TestServer server = TestServer.perClass();

  private static final String SECRET = "Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl";

  @ParameterizedTest
  @ValueSource(strings = {"/plain/anything", "/fhir/Patient/1", "/nowhere"})
  void trace_is_a_405_outcome_that_never_echoes_the_credentials(String path) {
    HttpResponse<String> traced = server.send("TRACE", path, null, "Authorization", SECRET);

    assertError(traced, 405, "METHOD_NOT_ALLOWED");
    assertFalse(traced.body().contains("c2VjcmV0"), traced.body());
    assertEquals("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
        traced.headers().firstValue("Allow").orElse("(none)"));
  }
}
