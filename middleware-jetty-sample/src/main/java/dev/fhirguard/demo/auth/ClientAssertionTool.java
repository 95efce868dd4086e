package dev.fhirguard.demo.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Prints a client assertion signed with a shipped DEMO private key, for trying the token endpoint
 * with curl:
 *
 * <pre>
 * java -cp middleware-jetty-sample.jar dev.fhirguard.demo.auth.ClientAssertionTool \
 *     reader http://localhost:8080/auth/token
 * </pre>
 */
public final class ClientAssertionTool {

  static final Duration LIFETIME = Duration.ofMinutes(4);

  private ClientAssertionTool() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      fail("Usage: ClientAssertionTool <client-id> <token-url>"
          + "  (demo keys: bulk-exporter, reader)");
      return;
    }
    try {
      System.out.println(sign(args[0], args[1], Instant.now()));
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
    }
  }

  /**
   * An assertion of {@code clientId} for {@code tokenUrl}, valid for 4 minutes from {@code now}.
   *
   * @throws IllegalArgumentException when there is no demo private key for {@code clientId}
   */
  static String sign(String clientId, String tokenUrl, Instant now) {
    JWK key = demoPrivateKey(clientId);
    JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
    JWSHeader header = new JWSHeader.Builder(alg)
        .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(clientId).subject(clientId).audience(tokenUrl)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signerFor(key));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("Cannot sign with the demo key of '" + clientId + "': "
          + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  private static JWSSigner signerFor(JWK key) throws JOSEException {
    return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
  }

  private static JWK demoPrivateKey(String clientId) {
    String resource = "demo-keys/" + clientId + ".private.jwk.json";
    InputStream in = clientId.matches("[A-Za-z0-9._-]{1,64}")
        ? ClientAssertionTool.class.getClassLoader().getResourceAsStream(resource) : null;
    if (in == null) {
      throw new IllegalArgumentException("No demo private key for client '"
          + Printable.clientId(clientId) + "'; demo keys exist for bulk-exporter and reader.");
    }
    try (in) {
      return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException("Cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
