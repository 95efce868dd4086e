package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static dev.fhirguard.demo.auth.AuthServerFixture.basic;
import static dev.fhirguard.demo.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  private static void assertGranted(String scope, HttpResponse<String> response)
      throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(scope, json(response).get("scope"));
  }

  /** Asserts that admin's request of {@code scope} is an invalid_scope saying {@code why}. */
  private static void assertInvalidScope(String scope, String why) throws Exception {
    String description = assertError(basicRequest("admin", scope), 400, "invalid_scope");
    assertTrue(description.contains(why), scope + ": " + description);
  }

  private static String encode(String scope) {
    return URLEncoder.encode(scope, StandardCharsets.UTF_8);
  }

  @Test
  void scopes_the_client_may_not_have_are_dropped() throws Exception {
    HttpResponse<String> response = readerRequests("system/Patient.rs system/Encounter.rs");

    assertGranted("system/Patient.rs", response);
  }

  @Test
  void no_allowed_scope_is_an_invalid_scope() throws Exception {
    String description =
        assertError(readerRequests("system/Encounter.rs"), 400, "invalid_scope");

    assertTrue(description.contains("None of the requested scopes is allowed for client"
        + " 'reader'"), description);
    assertTrue(description.contains("system/Patient.rs system/Observation.rs"), description);
  }

  @Test
  void wildcard_scope_covers_a_narrower_one() throws Exception {
    String assertion = TestAssertion.of("bulk-exporter", server.auth().tokenUrl()).sign();
    HttpResponse<String> response = server.postToken(
        TestAssertion.form(assertion, "scope=system%2FEncounter.r"));

    assertGranted("system/Encounter.r", response);
  }

  @Test
  void read_only_client_cannot_get_search() throws Exception {
    assertError(basicRequest("patient-reader", "system/Patient.rs"), 400, "invalid_scope");
  }

  @Test
  void write_client_gets_any_narrower_permission() throws Exception {
    HttpResponse<String> response =
        basicRequest("writer", "system/Patient.cu system/Observation.read system/Group.r");

    assertGranted("system/Patient.cu system/Observation.read", response);
  }

  @Test
  void a_scope_outside_the_smart_grammar_is_invalid_scope() throws Exception {
    for (String scope : List.of("system/Patient.rs openid", "system/Patient", "launch/patient",
        "system/patient.rs", "system/Patient.rs?", "system/Patient.rs?a\"b")) {
      assertInvalidScope(scope, "is not a SMART resource scope");
    }
  }

  @Test
  void a_scope_with_control_or_non_ascii_characters_is_invalid_scope() throws Exception {
    for (String scope : List.of("system/Patient.rs?x=\u0085forged", "system/Patient.rs?x=\u00e9",
        "system/Patient.rs\tsystem/Observation.rs", "system/Patient.rs\r\nforged",
        "system/Patient.rs?x=\u2028")) {
      assertInvalidScope(scope, "outside printable ASCII");
    }
  }

  @Test
  void a_scope_parameter_longer_than_its_bound_is_invalid_scope() throws Exception {
    String longest = ("system/Patient.rs ".repeat(60) + "system/Patient.r")
        .substring(0, TokenRequest.MAX_SCOPE_LENGTH);
    String scope = longest.strip();

    assertGranted(scope.replaceAll("(system/Patient.rs )+", "system/Patient.rs "),
        basicRequest("admin", scope));
    assertInvalidScope(scope + " system/Group.r", "longer than " + TokenRequest.MAX_SCOPE_LENGTH);
  }

  @Test
  void scopes_separated_by_several_spaces_are_still_read() throws Exception {
    assertGranted("system/Patient.r system/Observation.r",
        basicRequest("writer", " system/Patient.r   system/Observation.r "));
  }
}
