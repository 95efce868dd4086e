package dev.fhirguard.internal.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.config.ResolvedSettings;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the token verifier the settings describe, wrapped in the verified-token cache. */
public final class Verifiers {

  private Verifiers() {}

  /**
   * @param custom the application's own verifier, or {@code null} for the configured one
   * @throws FhirGuardConfigException when a key file cannot be read
   */
  public static TokenVerifier create(ResolvedSettings settings, TokenVerifier custom, Clock clock) {
    TokenVerifier verifier = custom != null ? custom : configured(settings, clock);
    long cacheBytes = settings.get(AuthSettings.TOKEN_CACHE_MAX_BYTES);
    return cacheBytes == 0 ? verifier : new CachingVerifier(verifier, cacheBytes, clock);
  }

  private static TokenVerifier configured(ResolvedSettings settings, Clock clock) {
    TokenClaims claims = new TokenClaims(
        settings.get(AuthSettings.ISSUER), settings.get(AuthSettings.AUDIENCE),
        settings.get(AuthSettings.CLOCK_SKEW), settings.get(AuthSettings.CLIENT_ID_CLAIM), clock);
    if ("introspection".equals(settings.get(AuthSettings.VERIFIER))) {
      return new IntrospectionVerifier(settings.get(AuthSettings.INTROSPECTION_URL).orElseThrow(),
          settings.get(AuthSettings.INTROSPECTION_CLIENT_ID),
          settings.get(AuthSettings.INTROSPECTION_CLIENT_SECRET),
          settings.get(AuthSettings.HTTP_TIMEOUT), claims);
    }
    Set<JWSAlgorithm> algorithms = settings.get(AuthSettings.ALGORITHMS_ALLOWED).stream()
        .map(JWSAlgorithm::parse).collect(Collectors.toSet());
    KeySource secret = settings.get(AuthSettings.HMAC_SECRET)
        .map(text -> (KeySource) new StaticKeys(new JWKSet(
            new OctetSequenceKey.Builder(text.getBytes(StandardCharsets.UTF_8)).build()), false))
        .orElse(null);
    return new JwtVerifier(algorithms, asymmetricKeys(settings, clock), secret, claims);
  }

  private static KeySource asymmetricKeys(ResolvedSettings settings, Clock clock) {
    if (settings.get(AuthSettings.JWKS_URL).isPresent()) {
      try {
        return new RemoteKeys(settings.get(AuthSettings.JWKS_URL).get().toURL(),
            settings.get(AuthSettings.JWKS_CACHE_TTL),
            settings.get(AuthSettings.JWKS_REFETCH_INTERVAL),
            settings.get(AuthSettings.HTTP_TIMEOUT),
            settings.get(AuthSettings.JWKS_OUTAGE_TOLERANCE), clock);
      } catch (MalformedURLException e) {
        throw problem(AuthSettings.JWKS_URL.key(), "expected an http or https URL");
      }
    }
    if (settings.get(AuthSettings.JWKS_FILE).isPresent()) {
      return new StaticKeys(jwksFile(settings.get(AuthSettings.JWKS_FILE).get()), true);
    }
    if (settings.get(AuthSettings.PUBLIC_KEY_FILE).isPresent()) {
      return new StaticKeys(new JWKSet(pem(settings.get(AuthSettings.PUBLIC_KEY_FILE).get())), false);
    }
    return null;
  }

  private static JWKSet jwksFile(Path file) {
    try {
      JWKSet keys = JWKSet.load(file.toFile()).toPublicJWKSet();
      if (keys.isEmpty()) {
        throw problem(AuthSettings.JWKS_FILE.key(), "the JWKS in " + file + " has no public key");
      }
      return keys;
    } catch (IOException | java.text.ParseException e) {
      throw problem(AuthSettings.JWKS_FILE.key(), "expected a JWKS (JSON with \"keys\") in " + file);
    }
  }

  /** An RSA or EC key from a PEM {@code PUBLIC KEY} block, read with the JDK alone. */
  static JWK pem(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw problem(AuthSettings.PUBLIC_KEY_FILE.key(), "could not read " + file);
    }
    int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
    int end = text.indexOf("-----END PUBLIC KEY-----");
    if (begin >= 0 && end > begin) {
      String base64 = text.substring(begin + 26, end).replaceAll("\\s", "");
      for (String algorithm : List.of("RSA", "EC")) {
        try {
          PublicKey key = KeyFactory.getInstance(algorithm)
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
          if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
          }
          ECPublicKey ec = (ECPublicKey) key;
          return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec)
              .keyUse(KeyUse.SIGNATURE).build();
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
          // try the next key type
        }
      }
    }
    throw problem(AuthSettings.PUBLIC_KEY_FILE.key(),
        "expected one RSA or EC key in a PEM -----BEGIN PUBLIC KEY----- block in " + file);
  }

  private static FhirGuardConfigException problem(String key, String message) {
    return new FhirGuardConfigException(List.of(key + ": " + message));
  }
}
