package dev.fhirguard.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.config.ConfigLoader;
import dev.fhirguard.internal.config.ResolvedSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real 2048-bit RSA key, its public JWKS in a file, the settings of fhirguard's own JWT
 * verifier for it, and RS256 access tokens with the claims a SMART on FHIR authorization server
 * issues (about 950 characters). No network: the verifier reads the keys from {@code
 * fhirguard.auth.jwks-file}, as it holds them after a fetch from {@code jwks-url}.
 */
final class SmartTokens {

  static final String ISSUER = "https://auth.hospital.example/realms/fhir";
  static final String AUDIENCE = "https://fhir.hospital.example/r4";
  static final String CLIENT_ID = "lab-results-viewer";
  static final String SCOPE = "launch/patient openid fhirUser patient/Patient.rs"
      + " patient/Observation.rs patient/Condition.rs";
  static final int SCOPES = 6;

  private final RSAKey key;
  private final Path jwksFile;

  private SmartTokens(RSAKey key, Path jwksFile) {
    this.key = key;
    this.jwksFile = jwksFile;
  }

  /** A fresh key, its public JWKS written to a temporary file (deleted on exit). */
  static SmartTokens create() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID("signing-key-2026-11")
          .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
      Path file = Files.createTempFile("fhirguard-bench-jwks", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, new JWKSet(key).toPublicJWKSet().toString(), StandardCharsets.UTF_8);
      return new SmartTokens(key, file);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The defaults, authentication on, this issuer and audience, the JWKS file, and {@code extra};
   * nothing from the environment, system properties or the classpath.
   */
  ResolvedSettings settings(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", ISSUER,
        "fhirguard.auth.audience", AUDIENCE,
        "fhirguard.auth.jwks-file", jwksFile.toString()));
    values.putAll(extra);
    return isolated(values);
  }

  /** The defaults plus {@code explicit} only. */
  static ResolvedSettings isolated(Map<String, String> explicit) {
    return new ConfigLoader(Map.of(), new Properties(), new ClassLoader(null) {}).load(explicit);
  }

  /** An RS256 token for patient {@code n}, valid for an hour from now; distinct for each n. */
  String sign(int n) {
    try {
      SignedJWT jwt = new SignedJWT(header(), claims(n));
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A token as long as {@link #sign}'s and with the same claims for patient {@code n}, but with
   * the signature of {@code signed} (another token): its signature does not verify. Costs a JSON
   * encoding instead of an RSA signature, for floods of a million distinct tokens.
   */
  String unsigned(int n, String signed) {
    return unsigned(n, signed, Map.of());
  }

  /** As {@link #unsigned(int, String)}, with {@code extra} claims added or replaced. */
  String unsigned(int n, String signed, Map<String, Object> extra) {
    String signature = signed.substring(signed.lastIndexOf('.') + 1);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(claims(n));
    extra.forEach(claims::claim);
    return header().toBase64URL() + "." + Base64URL.encode(claims.build().toString()) + "."
        + signature;
  }

  private JWSHeader header() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build();
  }

  private static JWTClaimsSet claims(int n) {
    Instant now = Instant.now();
    String number = String.format("%08d", n);
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("8f14e45f-ceea-467f-a0e6-" + number)
        .jwtID("7d9e4c1a-2b3f-4a5d-8e6f-" + String.format("%012d", n))
        .claim("client_id", CLIENT_ID)
        .claim("scope", SCOPE)
        .claim("patient", "pat-" + number)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .build();
  }

  /**
   * Accepts any well-formed JWT without checking its signature, and answers the client fhirguard's
   * JWT verifier would build from the same claims (client id, subject, split scopes, expiry, all
   * claims): cached entries of the same shape and size, at the cost of a parse. Only for the
   * memory flood, where a million RSA signatures would take about half an hour here.
   */
  static TokenVerifier trustingParser() {
    return token -> {
      JWTClaimsSet claims;
      try {
        claims = SignedJWT.parse(token).getJWTClaimsSet();
      } catch (ParseException e) {
        throw new IllegalArgumentException("not a JWT", e);
      }
      Map<String, Object> all = claims.toJSONObject();
      List<String> scopes = new ArrayList<>();
      for (String part : ((String) all.get("scope")).split(" ")) {
        scopes.add(part);
      }
      return new VerifiedClient((String) all.get("client_id"), claims.getSubject(), scopes,
          claims.getExpirationTime().toInstant(), all);
    };
  }
}
