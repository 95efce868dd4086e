package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line client assertion signer. */
class ClientAssertionToolTest {

  private static final String TOKEN_URL = "http://localhost:8080/auth/token";

  @Test
  void signs_a_four_minute_assertion_with_the_demo_key() throws Exception {
    Instant now = Instant.ofEpochSecond(1_700_000_000L);
    SignedJWT jwt = SignedJWT.parse(ClientAssertionTool.sign("bulk-exporter", TOKEN_URL, now));
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    RSAKey publicKey = TestAssertion.demoPrivateKey("bulk-exporter").toRSAKey().toPublicJWK();

    assertEquals(JWSAlgorithm.RS384, jwt.getHeader().getAlgorithm());
    assertTrue(jwt.verify(new RSASSAVerifier(publicKey)));
    assertEquals("bulk-exporter", claims.getIssuer());
    assertEquals("bulk-exporter", claims.getSubject());
    assertEquals(List.of(TOKEN_URL), claims.getAudience());
    assertEquals(now.plusSeconds(240), claims.getExpirationTime().toInstant());
    assertNotNull(claims.getJWTID());
  }

  @Test
  void reader_assertions_are_signed_es_384() throws Exception {
    SignedJWT jwt = SignedJWT.parse(ClientAssertionTool.sign("reader", TOKEN_URL, Instant.now()));

    assertEquals(JWSAlgorithm.ES384, jwt.getHeader().getAlgorithm());
    assertEquals("reader-demo-1", jwt.getHeader().getKeyID());
  }

  @Test
  void client_without_a_demo_key_is_explained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientAssertionTool.sign("../writer", TOKEN_URL, Instant.now()));

    assertTrue(e.getMessage().contains("demo keys exist for bulk-exporter and reader"),
        e.getMessage());
  }
}
