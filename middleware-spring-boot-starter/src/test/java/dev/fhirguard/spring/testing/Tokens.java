package dev.fhirguard.spring.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * An RSA key generated for the test run, its public half as a PEM file (for {@code
 * fhirguard.auth.public-key-file}), and real RS256 tokens signed with it.
 */
public final class Tokens {

  public static final String ISSUER = "https://auth.example.org/realms/fhir";
  public static final String AUDIENCE = "https://fhir.example.org/fhir";
  public static final String ALL_PATIENTS = "system/Patient.rs system/Patient.c";

  private static final RSAKey KEY = generate();
  private static final Path PUBLIC_KEY_FILE = writePublicKey();

  private Tokens() {}

  /** The PEM file of the public key. */
  public static String publicKeyFile() {
    return PUBLIC_KEY_FILE.toString();
  }

  /** A token of {@code clientId} with these SMART scopes, valid for five minutes. */
  public static String token(String clientId, String scope) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(clientId)
        .claim("client_id", clientId)
        .claim("scope", scope)
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .build();
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(KEY));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code Bearer <token>} of {@code clientId} with these scopes. */
  public static String bearer(String clientId, String scope) {
    return "Bearer " + token(clientId, scope);
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048).keyID("test-rsa").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePublicKey() {
    try {
      Path file = Files.createTempFile("fhirguard-test-key", ".pem");
      file.toFile().deleteOnExit();
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes())
          .encodeToString(KEY.toPublicKey().getEncoded());
      Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
