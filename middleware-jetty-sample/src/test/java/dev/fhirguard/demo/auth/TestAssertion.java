package dev.fhirguard.demo.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Builds client assertions for tests, signed by default with the shipped demo private key. */
final class TestAssertion {

  private final JWTClaimsSet.Builder claims;
  private JWK key;
  private JWSAlgorithm alg;
  private UnaryOperator<JWSHeader.Builder> headerChange = UnaryOperator.identity();

  private TestAssertion(String clientId, String audience, JWK key) {
    Instant now = Instant.now();
    this.claims = new JWTClaimsSet.Builder()
        .issuer(clientId).subject(clientId).audience(audience)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
        .jwtID(UUID.randomUUID().toString());
    this.key = key;
    this.alg = key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
  }

  /** A valid assertion of {@code clientId} for {@code tokenUrl}, signed with its demo key. */
  static TestAssertion of(String clientId, String tokenUrl) throws Exception {
    return new TestAssertion(clientId, tokenUrl, demoPrivateKey(clientId));
  }

  static JWK demoPrivateKey(String clientId) throws Exception {
    String resource = "demo-keys/" + clientId + ".private.jwk.json";
    try (InputStream in = TestAssertion.class.getClassLoader().getResourceAsStream(resource)) {
      return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Sets (or with {@code null} removes) a claim. */
  TestAssertion claim(String name, Object value) {
    claims.claim(name, value instanceof Instant instant ? Date.from(instant) : value);
    return this;
  }

  TestAssertion signedWith(JWK otherKey, JWSAlgorithm otherAlg) {
    this.key = otherKey;
    this.alg = otherAlg;
    return this;
  }

  TestAssertion algorithm(JWSAlgorithm otherAlg) {
    this.alg = otherAlg;
    return this;
  }

  /** Changes the header that {@link #sign()} makes (alg and the key's kid) before signing. */
  TestAssertion header(UnaryOperator<JWSHeader.Builder> change) {
    this.headerChange = change;
    return this;
  }

  String sign() throws JOSEException {
    JWSHeader header =
        headerChange.apply(new JWSHeader.Builder(alg).keyID(key.getKeyID())).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    jwt.sign(signer());
    return jwt.serialize();
  }

  /**
   * The claims under {@code headerJson} as it is (any JSON, not parsed), signed with the key by
   * its algorithm: a well-signed JWT whatever its header says.
   */
  String signUnder(String headerJson) throws JOSEException {
    String signingInput = Base64URL.encode(headerJson) + "."
        + Base64URL.encode(JSONObjectUtils.toJSONString(claims.build().toJSONObject()));
    Base64URL signature =
        signer().sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + signature;
  }

  /** The same claims as an unsigned {@code alg: none} JWT. */
  String unsigned() {
    return new PlainJWT(claims.build()).serialize();
  }

  /** The same claims signed HS256 with a shared secret. */
  String hmacSigned() throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    byte[] sharedSecret = "an-hmac-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    jwt.sign(new MACSigner(sharedSecret));
    return jwt.serialize();
  }

  private JWSSigner signer() throws JOSEException {
    return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
  }

  /** The form body of a client_credentials request carrying {@code assertion}. */
  static String form(String assertion, String... extra) {
    StringBuilder form = new StringBuilder("grant_type=client_credentials"
        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        + "&client_assertion=" + assertion);
    for (String parameter : extra) {
      form.append('&').append(parameter);
    }
    return form.toString();
  }
}
