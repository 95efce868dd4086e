package dev.fhirguard.demo.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs RS256 JWT access tokens (RFC 9068, {@code typ: at+jwt}) with an RSA key made at start-up,
 * and publishes that key's public half.
 */
final class AccessTokenIssuer {

  static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

  private final RSAKey signingKey;
  private final AuthEndpoints endpoints;
  private final Duration lifetime;
  private final Clock clock;

  AccessTokenIssuer(AuthEndpoints endpoints, Duration lifetime, Clock clock) {
    this.signingKey = generateKey();
    this.endpoints = endpoints;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** An access token of {@code clientId} for {@code scopes}. */
  String issue(String clientId, List<String> scopes) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(endpoints.issuer())
        .subject(clientId)
        .claim("client_id", clientId)
        .audience(endpoints.audience())
        .claim("scope", String.join(" ", scopes))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(ACCESS_TOKEN_TYPE)
        .keyID(signingKey.getKeyID())
        .build();
    SignedJWT token = new SignedJWT(header, claims);
    try {
      token.sign(new RSASSASigner(signingKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not sign an access token", e);
    }
    return token.serialize();
  }

  Duration lifetime() {
    return lifetime;
  }

  /** The public signing key only. */
  JWKSet publicKeys() {
    return new JWKSet(signingKey.toPublicJWK());
  }

  private static RSAKey generateKey() {
    try {
      return new RSAKeyGenerator(2048)
          .keyID("fhirguard-sample-" + UUID.randomUUID())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not generate the token signing key", e);
    }
  }
}
