package dev.fhirguard.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens for the scope tests. {@link #token} encodes the granted scopes in the token text
 * itself (base64url, so only b64token characters), and {@link #verifier()} decodes them: the
 * client id is {@code scope-client}. {@link Signer} makes real RS256 JWTs for the end-to-end path.
 */
public final class ScopeTokens {

  public static final String CLIENT_ID = "scope-client";
  private static final String PREFIX = "scopes.";

  private static Path unusedKeyFile;

  private ScopeTokens() {}

  /**
   * A PEM public key nobody signs with: configuration validation needs a key source for the
   * default jwt verifier even when the tests plug in {@link #verifier()}.
   */
  public static synchronized Path unusedKeyFile() {
    if (unusedKeyFile == null) {
      try {
        Path dir = Files.createTempDirectory("scope-tokens");
        dir.toFile().deleteOnExit();
        unusedKeyFile = new Signer("unused").writePem(dir);
        unusedKeyFile.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return unusedKeyFile;
  }

  /** A token granting exactly {@code scopes} (space separated, as in a scope claim). */
  public static String token(String scopes) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(scopes.getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code Authorization} header name/value pair for {@link Http#send} and {@link Http#get}. */
  public static String[] bearer(String scopes) {
    return new String[] {"Authorization", "Bearer " + token(scopes)};
  }

  /** Verifies tokens made by {@link #token}; anything else is refused as malformed. */
  public static TokenVerifier verifier() {
    return token -> {
      if (!token.startsWith(PREFIX)) {
        throw new TokenRejectedException(ErrorCode.TOKEN_MALFORMED, "not a scope test token");
      }
      String scopes;
      try {
        scopes = new String(Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new TokenRejectedException(ErrorCode.TOKEN_MALFORMED, "not base64url");
      }
      List<String> granted = Arrays.stream(scopes.split(" ")).filter(s -> !s.isEmpty()).toList();
      return new VerifiedClient(CLIENT_ID, null, granted, Instant.now().plusSeconds(300),
          Map.of("scope", scopes));
    };
  }

  /** An RSA key pair that signs RS256 access tokens, with its public half as PEM or JWKS file. */
  public static final class Signer {
    public static final String ISSUER = "https://auth.example.org";
    public static final String AUDIENCE = "https://fhir.example.org/fhir";

    private final RSAKey key;

    public Signer(String kid) {
      try {
        key = new RSAKeyGenerator(2048).keyID(kid).generate();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A signed JWT for {@code clientId} with these scopes, valid for five minutes. */
    public String sign(String clientId, String scopes) {
      return sign(new JWTClaimsSet.Builder()
          .issuer(ISSUER)
          .audience(AUDIENCE)
          .subject(clientId)
          .claim("client_id", clientId)
          .claim("scope", scopes)
          .issueTime(new Date())
          .expirationTime(Date.from(Instant.now().plusSeconds(300)))
          .build());
    }

    public String sign(JWTClaimsSet claims) {
      try {
        SignedJWT jwt = new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes the public key as a PEM {@code PUBLIC KEY} block into {@code dir}. */
    public Path writePem(Path dir) {
      try {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.toRSAPublicKey().getEncoded());
        return Files.writeString(dir.resolve("issuer-key.pem"),
            "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes the public key as a JWKS into {@code dir}. */
    public Path writeJwks(Path dir) {
      try {
        return Files.writeString(dir.resolve("issuer-keys.json"),
            new JWKSet(key.toPublicJWK()).toString(true));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The settings that make fhirguard verify this signer's tokens with {@code keyFile}. */
    public static Map<String, String> settings(String keySetting, Path keyFile) {
      return Map.of(
          "fhirguard.auth.enabled", "true",
          "fhirguard.auth.issuer", ISSUER,
          "fhirguard.auth.audience", AUDIENCE,
          keySetting, keyFile.toString());
    }
  }
}
