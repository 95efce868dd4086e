package dev.fhirguard.internal.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.text.LogSafe;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks an RFC 7662 introspection endpoint whether a token is active, then checks its claims. */
final class IntrospectionVerifier implements TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.auth");
  private static final int MAX_ANSWER_CHARS = 256 * 1024;

  private final HttpClient http;
  private final URI endpoint;
  private final Optional<String> basicCredentials;
  private final Duration timeout;
  private final TokenClaims claims;

  IntrospectionVerifier(
      URI endpoint, Optional<String> clientId, Optional<String> clientSecret, Duration timeout,
      TokenClaims claims) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.endpoint = endpoint;
    this.basicCredentials = clientId.map(id -> basic(id, clientSecret.orElse("")));
    this.timeout = timeout;
    this.claims = claims;
  }

  @Override
  public VerifiedClient verify(String token) throws TokenRejectedException {
    Map<String, Object> answer = introspect(token);
    if (!Boolean.TRUE.equals(answer.get("active"))) {
      throw new TokenRejectedException(ErrorCode.TOKEN_INACTIVE,
          "The bearer token is not active: the authorization server reports it revoked, expired"
              + " or unknown. Request a new access token.");
    }
    return claims.verify(answer, false);
  }

  private Map<String, Object> introspect(String token) throws TokenRejectedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&token_type_hint=access_token"));
    basicCredentials.ifPresent(value -> request.header("Authorization", value));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || response.body().length() > MAX_ANSWER_CHARS) {
        throw new IOException("introspection answered HTTP " + response.statusCode());
      }
      return jsonObject(response.body());
    } catch (IOException e) {
      LOG.warn("Token introspection at {} failed: {}", endpoint, LogSafe.clean(e.toString(), 200));
      throw unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
  }

  /**
   * The answer as a JSON object (RFC 7662 §2.2). Whatever else it is, and whatever the parser
   * throws on it, the endpoint failed: the client's token is not to blame.
   */
  private static Map<String, Object> jsonObject(String answer) throws IOException {
    try {
      if (JsonText.isObject(answer)) {
        return JSONObjectUtils.parse(answer);
      }
    } catch (ParseException | RuntimeException e) {
      // below
    }
    throw new IOException("introspection answered HTTP 200 with something other than a JSON"
        + " object");
  }

  private static TokenRejectedException unavailable() {
    return new TokenRejectedException(ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE,
        "The authorization server could not be asked whether the token is active. Retry later.");
  }

  private static String basic(String id, String secret) {
    String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
