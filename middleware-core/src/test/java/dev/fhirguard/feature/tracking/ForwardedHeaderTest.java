package dev.fhirguard.feature.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind a trusted proxy that appends X-Forwarded-For (nginx's
 * $proxy_add_x_forwarded_for, the common setup) and passes other headers through, a client sends
 * its own {@code Forwarded: for=<an allowed address>}. fhirguard prefers Forwarded whenever it is
 * present, so the client-chosen address wins over the one the proxy recorded.
 */
class ForwardedHeaderTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().settings(Map.of(
      "fhirguard.clients." + ScopeTokens.CLIENT_ID + ".allowed-addresses", "203.0.113.0/24",
      "fhirguard.client-address.trusted-proxies", "127.0.0.1")).perClass();

  @Test
  void a_client_supplied_forwarded_header_does_not_override_the_proxy_recorded_address() {
    HttpResponse<String> response = server.get("/fhir/Patient/1",
        "Authorization", "Bearer " + ScopeTokens.token("system/Patient.r"),
        // passed through unchanged from the client
        "Forwarded", "for=203.0.113.10",
        // appended by the trusted proxy: the client's real address
        "X-Forwarded-For", "198.51.100.7");
    Outcomes.assertError(response, 403, "CLIENT_ADDRESS_NOT_ALLOWED");
  }

  @Test
  void the_proxy_recorded_address_alone_is_refused() {
    HttpResponse<String> response = server.get("/fhir/Patient/1",
        "Authorization", "Bearer " + ScopeTokens.token("system/Patient.r"),
        "X-Forwarded-For", "198.51.100.7");
    assertEquals(403, response.statusCode(), response::body);
  }
}
