package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The issued access token, verified with the JWKS fetched over HTTP. */
class AccessTokenTest {

  private static AuthServerFixture server;
  private static SignedJWT token;
  private static JWTClaimsSet claims;

  @BeforeAll
  static void issueAToken() throws Exception {
    server = AuthServerFixture.start();
    String assertion = TestAssertion.of("reader", server.auth().tokenUrl()).sign();
    var response = server.postToken(TestAssertion.form(assertion));
    assertEquals(200, response.statusCode(), response.body());
    token = SignedJWT.parse((String) json(response).get("access_token"));
    claims = token.getJWTClaimsSet();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void signature_verifies_with_the_key_published_at_jwks() throws Exception {
    JWKSet keys = JWKSet.parse(server.get("/auth/jwks").body());
    RSAKey key = (RSAKey) keys.getKeyByKeyId(token.getHeader().getKeyID());

    assertNotNull(key, "the token's kid is in the JWKS");
    assertEquals(JWSAlgorithm.RS256, token.getHeader().getAlgorithm());
    assertTrue(token.verify(new RSASSAVerifier(key)));
  }

  @Test
  void header_type_is_at_jwt() {
    assertEquals("at+jwt", token.getHeader().getType().getType());
  }

  @Test
  void claims_name_issuer_audience_and_client() throws Exception {
    assertEquals(server.auth().issuer(), claims.getIssuer());
    assertEquals(server.url("/auth"), claims.getIssuer());
    assertEquals(List.of(server.url("/fhir")), claims.getAudience());
    assertEquals("reader", claims.getSubject());
    assertEquals("reader", claims.getStringClaim("client_id"));
    assertEquals("system/Patient.rs system/Observation.rs", claims.getStringClaim("scope"));
    assertNotNull(claims.getJWTID());
  }

  @Test
  void lifetime_is_at_most_five_minutes() {
    long seconds =
        (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;

    assertTrue(seconds > 0 && seconds <= 300, "lifetime " + seconds);
  }
}
