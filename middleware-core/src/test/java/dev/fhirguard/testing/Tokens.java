package dev.fhirguard.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Real keys generated for the test run and real signed JWTs. The keys are generated once per JVM
 * (RSA generation is the slow part); every token is signed afresh.
 */
public final class Tokens {

  public static final String ISSUER = "https://auth.example.org/realms/fhir";
  public static final String AUDIENCE = "https://fhir.example.org/fhir";
  public static final String OTHER_AUDIENCE = "https://fhir.example.net/r4";
  public static final String CLIENT_ID = "lab-app";
  public static final String SCOPE = "system/Patient.rs system/Observation.rs";
  /** An HMAC secret of the minimum configurable length and then some. */
  public static final String HMAC_SECRET = "hmac-secret-for-tests-0123456789abcdef";

  /** The RS256 header that names the shared RSA key. */
  public static final String RS256_HEADER = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}";

  private static final RSAKey RSA = rsa("rsa-1");
  private static final ECKey EC_256 = ec(Curve.P_256, "ec-256");
  private static final ECKey EC_384 = ec(Curve.P_384, "ec-384");

  private Tokens() {}

  /** The shared RSA signing key (kid {@code rsa-1}). */
  public static RSAKey rsaKey() {
    return RSA;
  }

  /** The shared P-256 signing key (kid {@code ec-256}). */
  public static ECKey ec256Key() {
    return EC_256;
  }

  /** The shared P-384 signing key (kid {@code ec-384}). */
  public static ECKey ec384Key() {
    return EC_384;
  }

  /** The public JWKS of the three shared keys. */
  public static JWKSet sharedPublicSet() {
    return publicSet(RSA, EC_256, EC_384);
  }

  /** A fresh 2048-bit RSA signing key. */
  public static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh EC signing key on {@code curve}. */
  public static ECKey ec(Curve curve, String kid) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public halves of {@code keys}, as a JWKS. */
  public static JWKSet publicSet(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet();
  }

  /**
   * Claims that a server configured with {@link #ISSUER} and {@link #AUDIENCE} accepts at {@code
   * clock}'s now: issued now, expiring in an hour, client {@link #CLIENT_ID}, scopes {@link
   * #SCOPE}, and a random {@code jti}, so two tokens are never equal (RS256 signatures are
   * deterministic, and equal tokens would meet the verified-token cache).
   */
  public static JWTClaimsSet.Builder claims(Clock clock) {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .jwtID(UUID.randomUUID().toString())
        .subject("service-account-lab")
        .claim("client_id", CLIENT_ID)
        .claim("scope", SCOPE)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
  }

  /** A JWT signed by {@code key} with {@code alg}, its header naming the key's kid. */
  public static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    return sign(key, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
  }

  /** A JWT signed by {@code key} with exactly {@code header}. */
  public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared RSA key, RS256, these claims. */
  public static String rs256(JWTClaimsSet claims) {
    return sign(RSA, JWSAlgorithm.RS256, claims);
  }

  /** A JWT signed with HMAC over {@code secret}, no kid. */
  public static String hmac(String secret, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JWS whose header and payload are exactly these texts (any JSON, or none), signed RS256 with
   * {@code key}: the signature verifies whatever the texts say, so a verifier gets past it to
   * whatever it makes of them.
   */
  public static String signRaw(RSAKey key, String header, String payload) {
    String input = base64Url(header) + "." + base64Url(payload);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key.toPrivateKey());
      rs256.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64URL.encode(rs256.sign());
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code text} as UTF-8, in unpadded base64url. */
  public static String base64Url(String text) {
    return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** An unsigned ({@code alg: none}) JWT. */
  public static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** {@code token} with its signature part replaced by a different, well-formed one. */
  public static String withForeignSignature(String token, String otherToken) {
    return token.substring(0, token.lastIndexOf('.')) + otherToken.substring(otherToken.lastIndexOf('.'));
  }

  /** A PEM {@code PUBLIC KEY} block of {@code key}. */
  public static String pem(PublicKey key) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
  }

  private static JWSSigner signer(JWK key) throws JOSEException {
    if (key instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    if (key instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    throw new IllegalArgumentException("no signer for " + key.getKeyType());
  }
}
