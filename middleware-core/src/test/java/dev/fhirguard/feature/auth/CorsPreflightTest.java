package dev.fhirguard.feature.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request that merely looks like a CORS preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) skips authentication in the filter AND in the HAPI interceptor.
 * HAPI's history binding does not check the HTTP method, so OPTIONS on a _history URL runs the
 * history provider and returns its data to a caller without any token.
 */
class CorsPreflightTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  @ParameterizedTest
  @CsvSource({
      "/fhir/_history, system.history",
      "/fhir/Patient/_history, Patient.history-type",
      "/fhir/Patient/1/_history, Patient.history-instance"})
  void a_fake_preflight_without_a_token_does_not_reach_a_HAPI_provider(String path, String key) {
    int before = server.servlet(ScopedFhirServer.class).calls(key);
    HttpResponse<String> response = server.send("OPTIONS", path, null,
        "Origin", "https://attacker.example",
        "Access-Control-Request-Method", "GET");
    assertEquals(before, server.servlet(ScopedFhirServer.class).calls(key),
        "the provider ran without a token: " + response.statusCode() + " " + response.body());
    assertEquals(401, response.statusCode(), response::body);
  }
}
