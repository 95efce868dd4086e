package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static dev.fhirguard.demo.auth.AuthServerFixture.basic;
import static dev.fhirguard.demo.auth.AuthServerFixture.header;
import static dev.fhirguard.demo.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** client_secret_basic at POST /auth/token, over real HTTP. */
class ClientSecretBasicTokenTest {

  private static final String GRANT = "grant_type=client_credentials";
  private static final String CHALLENGE = "Basic realm=\"fhirguard-sample\"";
  /** The one answer to Basic credentials of an unknown client or with a wrong secret. */
  private static final String NOT_VERIFIED = "Client authentication failed; check the client_id"
      + " and secret of the Basic credentials (client_secret_basic).";

  @RegisterExtension
  static final AuthServerFixture server = AuthServerFixture.perClass();

  @Test
  void writer_with_its_secret_gets_all_its_scopes() throws Exception {
    HttpResponse<String> response =
        server.postToken(GRANT, "Authorization", basic("writer", "writer-secret"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("system/Patient.cruds system/Observation.cruds", json(response).get("scope"));
    assertEquals("no-store", header(response, "Cache-Control"));
    assertEquals("no-cache", header(response, "Pragma"));
  }

  @Test
  void form_url_encoded_credentials_are_decoded() throws Exception {
    HttpResponse<String> response =
        server.postToken(GRANT, "Authorization", basic("wr%69ter", "writer%2Dsecret"));

    assertEquals(200, response.statusCode(), response.body());
  }

  /** Asserts the one 401 answer of failed Basic client authentication, and returns it. */
  private static HttpResponse<String> notVerified(String clientId, String secret)
      throws Exception {
    HttpResponse<String> response =
        server.postToken(GRANT, "Authorization", basic(clientId, secret));
    assertEquals(NOT_VERIFIED, assertError(response, 401, "invalid_client"));
    assertEquals(CHALLENGE, header(response, "WWW-Authenticate"));
    return response;
  }

  @Test
  void wrong_secret_is_unauthorized_with_a_basic_challenge() throws Exception {
    assertFalse(notVerified("writer", "guessed-secret").body().contains("guessed-secret"));
  }

  @Test
  void unknown_client_is_unauthorized() throws Exception {
    notVerified("nobody", "x");
  }

  @Test
  void key_client_using_basic_gets_the_answer_of_an_unknown_client() throws Exception {
    notVerified("reader", "whatever");
  }

  @Test
  void an_unknown_client_and_a_wrong_secret_get_the_same_answer() throws Exception {
    assertEquals(notVerified("nobody", "writer-secret").body(),
        notVerified("writer", "nobody-secret").body());
  }

  @Test
  void error_descriptions_keep_to_the_characters_rfc_6749_allows() throws Exception {
    HttpResponse<String> response = server.postToken(GRANT + "&client_id=%22%C3%A9%5C%E2%80%AE",
        "Authorization", basic("writer", "writer-secret"));

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"'
        && c != '\\'), description);
    assertTrue(description.contains("does not match the client 'writer'"), description);
  }

  @Test
  void missing_client_authentication_is_unauthorized() throws Exception {
    HttpResponse<String> response = server.postToken(GRANT);

    String description = assertError(response, 401, "invalid_client");
    assertEquals(CHALLENGE, header(response, "WWW-Authenticate"));
    assertTrue(description.contains("No client authentication"), description);
  }

  @Test
  void secret_in_the_body_is_refused_without_echoing_it() throws Exception {
    HttpResponse<String> response =
        server.postToken(GRANT + "&client_id=writer&client_secret=writer-secret");

    String description = assertError(response, 401, "invalid_client");
    assertTrue(description.contains("client_secret_post"), description);
    assertFalse(response.body().contains("writer-secret"));
  }

  @Test
  void bearer_scheme_is_refused() throws Exception {
    HttpResponse<String> response = server.postToken(GRANT, "Authorization", "Bearer abc");

    String description = assertError(response, 401, "invalid_client");
    assertTrue(description.contains("scheme 'Bearer'"), description);
  }

  @Test
  void basic_and_assertion_together_are_an_invalid_request() throws Exception {
    String form = TestAssertion.form(
        TestAssertion.of("reader", server.auth().tokenUrl()).sign());

    HttpResponse<String> response =
        server.postToken(form, "Authorization", basic("writer", "writer-secret"));

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("exactly one client authentication method"), description);
  }

  @Test
  void client_id_parameter_must_match_the_basic_client() throws Exception {
    HttpResponse<String> response = server.postToken(
        GRANT + "&client_id=reader", "Authorization", basic("writer", "writer-secret"));

    String description = assertError(response, 400, "invalid_request");
    assertTrue(description.contains("does not match the client 'writer'"), description);
  }
}
