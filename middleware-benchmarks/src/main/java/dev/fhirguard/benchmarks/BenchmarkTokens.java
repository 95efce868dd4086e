package dev.fhirguard.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens for the benchmark: real ones from a sample's own token endpoint, and forged ones
 * with the same header and claims: signed by another RSA key (same {@code kid}, so the signature
 * is checked and fails) or naming a {@code kid} the server does not know.
 */
final class BenchmarkTokens {

  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final RSAKey foreignKey;

  BenchmarkTokens() {
    try {
      foreignKey = new RSAKeyGenerator(2048).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("no RSA key could be generated", e);
    }
  }

  /** A token for a {@code client_secret_basic} demo client of the server on {@code port}. */
  static String issue(int port, String clientId, String secret)
      throws IOException, InterruptedException {
    String basic = Base64.getEncoder()
        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(
                "http://" + EndToEndServers.HOST + ":" + port + "/auth/token"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher token = ACCESS_TOKEN.matcher(response.body());
    if (response.statusCode() != 200 || !token.find()) {
      throw new IOException("the token endpoint answered " + response.statusCode() + ": "
          + response.body());
    }
    return token.group(1);
  }

  /** {@code token}'s header and claims, signed by a key that is not the issuer's. */
  String foreignSignature(String token) {
    SignedJWT real = parse(token);
    return sign(real.getHeader(), real);
  }

  /** {@code token}'s claims under a {@code kid} the issuer's key set does not have. */
  String unknownKey(String token) {
    SignedJWT real = parse(token);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(real.getHeader().getType() == null ? JOSEObjectType.JWT : real.getHeader().getType())
        .keyID("unknown-" + foreignKey.getKeyID())
        .build();
    return sign(header, real);
  }

  /** Random base64url text as long as {@code token}, with no dots: not a JWT at all. */
  static String garbage(String token) {
    byte[] random = new byte[token.length()];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random)
        .substring(0, token.length());
  }

  private String sign(JWSHeader header, SignedJWT real) {
    try {
      SignedJWT forged = new SignedJWT(header, real.getJWTClaimsSet());
      forged.sign(new RSASSASigner(foreignKey));
      return forged.serialize();
    } catch (JOSEException | ParseException e) {
      throw new IllegalStateException("the token could not be re-signed", e);
    }
  }

  private static SignedJWT parse(String token) {
    try {
      return SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a signed JWT", e);
    }
  }
}
