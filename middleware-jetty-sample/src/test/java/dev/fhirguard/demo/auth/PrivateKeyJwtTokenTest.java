package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static dev.fhirguard.demo.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** private_key_jwt client assertions at POST /auth/token, over real HTTP. */
class PrivateKeyJwtTokenTest {

  /** The one answer to an assertion of an unknown client or not signed by its key. */
  static final String NOT_VERIFIED = "Invalid client assertion JWT: client authentication"
      + " failed; iss and sub must name a client registered for private_key_jwt, and the"
      + " assertion must be signed with that client's registered key, named by kid in the header.";

  @RegisterExtension
  static final AuthServerFixture server = AuthServerFixture.perClass();

  private static TestAssertion assertion(String clientId) throws Exception {
    return TestAssertion.of(clientId, server.auth().tokenUrl());
  }

  private static HttpResponse<String> post(String assertion, String... extra) throws Exception {
    return server.postToken(TestAssertion.form(assertion, extra));
  }

  private static String refusedAssertion(TestAssertion assertion) throws Exception {
    String signed = assertion.sign();
    HttpResponse<String> response = post(signed);
    String description = assertError(response, 400, "invalid_client");
    assertTrue(description.startsWith("Invalid client assertion JWT: "), description);
    assertFalse(response.body().contains(signed), "the assertion must not be echoed");
    return description;
  }

  @Test
  void rs_384_assertion_of_bulk_exporter_gets_a_token() throws Exception {
    HttpResponse<String> response = post(assertion("bulk-exporter").sign());

    assertEquals(200, response.statusCode(), response.body());
    Map<String, Object> body = json(response);
    assertEquals("Bearer", body.get("token_type"));
    assertEquals(300L, body.get("expires_in"));
    assertEquals("system/*.rs system/*.read", body.get("scope"));
    assertEquals("no-store", AuthServerFixture.header(response, "Cache-Control"));
  }

  @Test
  void es_384_assertion_of_reader_gets_a_token() throws Exception {
    HttpResponse<String> response =
        post(assertion("reader").sign(), "scope=system%2FPatient.rs", "client_id=reader");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("system/Patient.rs", json(response).get("scope"));
  }

  @Test
  void assertion_from_the_command_line_tool_is_accepted() throws Exception {
    String assertion =
        ClientAssertionTool.sign("reader", server.auth().tokenUrl(), Instant.now());

    assertEquals(200, post(assertion).statusCode());
  }

  @Test
  void replayed_assertion_is_rejected() throws Exception {
    String signed = assertion("reader").sign();
    assertEquals(200, post(signed).statusCode());

    String description = assertError(post(signed), 400, "invalid_client");

    assertTrue(description.contains("jti has already been used"), description);
  }

  @Test
  void expiry_more_than_five_minutes_ahead_is_rejected() throws Exception {
    String description = refusedAssertion(
        assertion("reader").claim("exp", Instant.now().plusSeconds(3600)));

    assertTrue(description.contains("more than 5 minutes"), description);
  }

  @Test
  void expired_assertion_is_rejected() throws Exception {
    String description = refusedAssertion(
        assertion("reader").claim("exp", Instant.now().minusSeconds(120)));

    assertTrue(description.contains("expired"), description);
  }

  @Test
  void assertion_without_expiry_is_rejected() throws Exception {
    String description = refusedAssertion(assertion("reader").claim("exp", null));

    assertTrue(description.contains("exp claim is missing"), description);
  }

  @Test
  void assertion_without_jti_is_rejected() throws Exception {
    String description = refusedAssertion(assertion("reader").claim("jti", null));

    assertTrue(description.contains("jti claim is missing"), description);
  }

  @Test
  void wrong_audience_is_rejected_naming_the_token_url() throws Exception {
    String description = refusedAssertion(
        assertion("reader").claim("aud", server.auth().audience()));

    assertTrue(description.contains("aud must be the token URL '" + server.auth().tokenUrl()),
        description);
  }

  @Test
  void issuer_different_from_subject_is_rejected() throws Exception {
    String description = refusedAssertion(assertion("reader").claim("sub", "bulk-exporter"));

    assertTrue(description.contains("differ"), description);
  }

  @Test
  void missing_issuer_is_rejected() throws Exception {
    String description = refusedAssertion(assertion("reader").claim("iss", null));

    assertTrue(description.contains("iss claim is missing"), description);
  }

  @Test
  void client_id_parameter_must_match_the_issuer() throws Exception {
    String signed = assertion("reader").sign();

    String description = assertError(post(signed, "client_id=bulk-exporter"), 400,
        "invalid_client");

    assertTrue(description.contains("does not match iss/sub"), description);
  }

  @Test
  void unknown_client_is_rejected() throws Exception {
    String description = refusedAssertion(
        assertion("reader").claim("iss", "nobody").claim("sub", "nobody"));

    assertEquals(NOT_VERIFIED, description);
  }

  @Test
  void signature_by_another_key_with_the_registered_kid_is_rejected() throws Exception {
    var impostor = new ECKeyGenerator(Curve.P_384).keyID("reader-demo-1").generate();

    String description = refusedAssertion(
        assertion("reader").signedWith(impostor, JWSAlgorithm.ES384));

    assertEquals(NOT_VERIFIED, description);
  }

  @Test
  void key_id_that_is_not_registered_is_rejected() throws Exception {
    var stranger = new RSAKeyGenerator(2048).keyID("someone-else").generate();

    String description = refusedAssertion(
        assertion("bulk-exporter").signedWith(stranger, JWSAlgorithm.RS384));

    assertEquals(NOT_VERIFIED, description);
  }

  @Test
  void an_unknown_client_and_a_known_one_with_a_wrong_signature_get_the_same_answer()
      throws Exception {
    var stranger = new ECKeyGenerator(Curve.P_384).keyID("reader-demo-1").generate();

    HttpResponse<String> unknown = post(assertion("reader").claim("iss", "nobody")
        .claim("sub", "nobody").signedWith(stranger, JWSAlgorithm.ES384).sign());
    HttpResponse<String> known =
        post(assertion("reader").signedWith(stranger, JWSAlgorithm.ES384).sign());

    assertEquals(400, unknown.statusCode());
    assertEquals(unknown.statusCode(), known.statusCode());
    assertEquals(unknown.body(), known.body());
  }

  @Test
  void a_jku_header_is_invalid_client_even_naming_this_servers_own_jwks() throws Exception {
    URI jwks = URI.create(server.auth().jwksUrl());

    String description = refusedAssertion(assertion("reader").header(h -> h.jwkURL(jwks)));

    assertTrue(description.contains("jku"), description);
  }

  @Test
  void an_x5u_header_is_invalid_client() throws Exception {
    URI certificates = URI.create("https://attacker.example/chain.pem");

    String description =
        refusedAssertion(assertion("reader").header(h -> h.x509CertURL(certificates)));

    assertTrue(description.contains("x5u"), description);
  }

  @Test
  void a_jwk_header_is_invalid_client_even_holding_the_registered_key() throws Exception {
    JWK registered = TestAssertion.demoPrivateKey("reader").toPublicJWK();

    String description = refusedAssertion(assertion("reader").header(h -> h.jwk(registered)));

    assertTrue(description.contains("jwk"), description);
  }

  @Test
  void an_assertion_without_kid_is_invalid_client() throws Exception {
    String description = refusedAssertion(assertion("reader").header(h -> h.keyID(null)));

    assertTrue(description.contains("no kid"), description);
  }

  @Test
  void a_typ_other_than_jwt_is_invalid_client() throws Exception {
    for (String typ : List.of("at+jwt", "JOSE", "application/json", "JWTX")) {
      String description = refusedAssertion(
          assertion("reader").header(h -> h.type(new JOSEObjectType(typ))));

      assertTrue(description.contains("typ"), description);
    }
  }

  @Test
  void a_typ_of_jwt_in_any_spelling_rfc_7515_allows_is_accepted() throws Exception {
    for (String typ : List.of("JWT", "jwt", "application/jwt", "Application/JWT")) {
      String signed = assertion("reader").header(h -> h.type(new JOSEObjectType(typ))).sign();

      assertEquals(200, post(signed).statusCode(), typ);
    }
  }

  @Test
  void a_null_header_is_a_400_invalid_client_not_a_500() throws Exception {
    String description =
        assertError(post(assertion("reader").signUnder("null")), 400, "invalid_client");

    assertTrue(description.contains("not a well-formed JWT"), description);
  }

  @Test
  void headers_that_are_not_json_objects_are_400_invalid_client() throws Exception {
    for (String header : List.of("[]", "[{\"alg\":\"ES384\"}]", "384", "\"ES384\"", "true",
        "false", "{\"alg\":\"ES384\"")) {
      String description =
          assertError(post(assertion("reader").signUnder(header)), 400, "invalid_client");

      assertTrue(description.contains("not a well-formed JWT"), header + ": " + description);
    }
  }

  @Test
  void rs_256_is_rejected_even_with_the_registered_key() throws Exception {
    String description =
        refusedAssertion(assertion("bulk-exporter").algorithm(JWSAlgorithm.RS256));

    assertTrue(description.contains("alg 'RS256' is not accepted"), description);
  }

  @Test
  void hmac_signed_assertion_is_rejected() throws Exception {
    String description =
        assertError(post(assertion("reader").hmacSigned()), 400, "invalid_client");

    assertTrue(description.contains("alg 'HS256' is not accepted"), description);
  }

  @Test
  void unsigned_assertion_is_rejected() throws Exception {
    String description =
        assertError(post(assertion("reader").unsigned()), 400, "invalid_client");

    assertTrue(description.contains("alg 'none'"), description);
  }

  @Test
  void malformed_assertion_is_rejected() throws Exception {
    String description = assertError(post("not.a-jwt"), 400, "invalid_client");

    assertTrue(description.contains("not a well-formed JWT"), description);
    assertFalse(description.contains("not.a-jwt"), description);
  }

  @Test
  void secret_client_using_an_assertion_gets_the_answer_of_an_unknown_client() throws Exception {
    var key = new RSAKeyGenerator(2048).keyID("writer-key").generate();
    String signed = assertion("reader").claim("iss", "writer").claim("sub", "writer")
        .signedWith(key, JWSAlgorithm.RS384).sign();

    String description = assertError(post(signed), 400, "invalid_client");

    assertEquals(NOT_VERIFIED, description);
  }

  @Test
  void assertion_without_assertion_type_is_an_invalid_request() throws Exception {
    String form = "grant_type=client_credentials&client_assertion=" + assertion("reader").sign();

    String description = assertError(server.postToken(form), 400, "invalid_request");

    assertTrue(description.contains("client_assertion_type is missing"), description);
  }

  @Test
  void unknown_assertion_type_is_an_invalid_request() throws Exception {
    String form = "grant_type=client_credentials&client_assertion_type=saml"
        + "&client_assertion=" + assertion("reader").sign();

    String description = assertError(server.postToken(form), 400, "invalid_request");

    assertTrue(description.contains("client_assertion_type 'saml' is not supported"),
        description);
  }
}
