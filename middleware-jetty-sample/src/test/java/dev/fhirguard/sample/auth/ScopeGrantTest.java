package dev.fhirguard.sample.auth;

import static dev.fhirguard.sample.auth.AuthServerFixture.assertError;
import static dev.fhirguard.sample.auth.AuthServerFixture.basic;
import static dev.fhirguard.sample.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which of the requested scopes a client is granted. */
class ScopeGrantTest {

  @RegisterExtension
  static final AuthServerFixture server = AuthServerFixture.perClass();

  private static HttpResponse<String> readerRequests(String scope) throws Exception {
    String assertion = TestAssertion.of("reader", server.auth().tokenUrl()).sign();
    return server.postToken(TestAssertion.form(assertion, "scope=" + encode(scope)));
  }

  private static HttpResponse<String> basicRequest(String client, String scope)
      throws Exception {
    return server.postToken("grant_type=client_credentials&scope=" + encode(scope),
        "Authorization", basic(client, client + "-secret"));
  }

  private static String encode(String scope) {
    return URLEncoder.encode(scope, StandardCharsets.UTF_8);
  }

  @Test
  void scopesTheClientMayNotHaveAreDropped() throws Exception {
    HttpResponse<String> response = readerRequests("system/Patient.rs system/Encounter.rs");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("system/Patient.rs", json(response).get("scope"));
  }

  @Test
  void noAllowedScopeIsAnInvalidScope() throws Exception {
    String description =
        assertError(readerRequests("system/Encounter.rs"), 400, "invalid_scope");

    assertTrue(description.contains("None of the requested scopes is allowed for client"
        + " 'reader'"), description);
    assertTrue(description.contains("system/Patient.rs system/Observation.rs"), description);
  }

  @Test
  void wildcardScopeCoversANarrowerOne() throws Exception {
    String assertion = TestAssertion.of("bulk-exporter", server.auth().tokenUrl()).sign();
    HttpResponse<String> response = server.postToken(
        TestAssertion.form(assertion, "scope=system%2FEncounter.r"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("system/Encounter.r", json(response).get("scope"));
  }

  @Test
  void readOnlyClientCannotGetSearch() throws Exception {
    assertError(basicRequest("patient-reader", "system/Patient.rs"), 400, "invalid_scope");
  }

  @Test
  void writeClientGetsAnyNarrowerPermission() throws Exception {
    HttpResponse<String> response =
        basicRequest("writer", "system/Patient.cu system/Observation.read system/Group.r");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("system/Patient.cu system/Observation.read", json(response).get("scope"));
  }
}
