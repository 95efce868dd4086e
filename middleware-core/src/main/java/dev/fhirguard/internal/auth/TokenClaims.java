package dev.fhirguard.internal.auth;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.VerifiedClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks the claims of a token (from a JWT or an introspection answer) and names its client. */
final class TokenClaims {

  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
  private static final double EARLIEST_SECOND = EARLIEST.getEpochSecond();
  private static final double LATEST_SECOND = LATEST.getEpochSecond();

  private final Optional<String> issuer;
  private final List<String> audiences;
  private final Duration skew;
  private final String clientIdClaim;
  private final Clock clock;

  TokenClaims(
      Optional<String> issuer, List<String> audiences, Duration skew, String clientIdClaim,
      Clock clock) {
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.skew = skew;
    this.clientIdClaim = clientIdClaim;
    this.clock = clock;
  }

  /**
   * @param requireExp whether a token without {@code exp} is refused (JWTs); an introspection
   *     answer without it is accepted but never cached
   */
  VerifiedClient verify(Map<String, Object> claims, boolean requireExp)
      throws TokenRejectedException {
    Instant now = clock.instant();
    Instant expires = instant(claims.get("exp"));
    if (expires == null && requireExp) {
      throw invalid("it has no exp (expiry) claim");
    }
    if (expires != null && now.isAfter(expires.plus(skew))) {
      throw new TokenRejectedException(ErrorCode.TOKEN_EXPIRED,
          "The bearer token expired " + ago(expires, now) + ". Request a new access token.");
    }
    notInFuture(instant(claims.get("nbf")), now, "is not valid before a time still ahead (nbf)");
    notInFuture(instant(claims.get("iat")), now, "was issued in the future (iat)");
    checkIssuer(claims.get("iss"));
    checkAudience(claims.get("aud"));
    String clientId = clientId(claims);
    Object subject = claims.get("sub");
    return new VerifiedClient(clientId, subject instanceof String s ? s : null, scopes(claims),
        expires == null ? now : expires, claims);
  }

  private void notInFuture(Instant time, Instant now, String what) throws TokenRejectedException {
    if (time != null && time.isAfter(now.plus(skew))) {
      throw new TokenRejectedException(ErrorCode.TOKEN_NOT_YET_VALID,
          "The bearer token " + what + "; check the clocks of the client and the authorization"
              + " server.");
    }
  }

  private void checkIssuer(Object iss) throws TokenRejectedException {
    if (issuer.isPresent() && !issuer.get().equals(iss)) {
      throw new TokenRejectedException(ErrorCode.TOKEN_ISSUER_INVALID,
          "The bearer token was issued by an authorization server this server does not trust"
              + " (iss must be " + issuer.get() + ").");
    }
  }

  private void checkAudience(Object aud) throws TokenRejectedException {
    if (audiences.isEmpty()) {
      return;
    }
    for (String named : strings(aud)) {
      if (audiences.contains(named)) {
        return;
      }
    }
    throw new TokenRejectedException(ErrorCode.TOKEN_AUDIENCE_INVALID,
        "Token issued for a different API endpoint: its aud claim does not name this server ("
            + String.join(" or ", audiences) + ").");
  }

  private String clientId(Map<String, Object> claims) throws TokenRejectedException {
    for (String name : List.of(clientIdClaim, "azp", "sub")) {
      if (claims.get(name) instanceof String value && !value.isBlank()) {
        return value;
      }
    }
    throw invalid("it names no client (" + clientIdClaim + ", azp or sub)");
  }

  private static List<String> scopes(Map<String, Object> claims) {
    Object scope = claims.get("scope");
    if (scope == null) {
      scope = claims.get("scp");
    }
    List<String> scopes = new ArrayList<>();
    for (String value : strings(scope)) {
      for (String part : value.split(" ")) {
        if (!part.isEmpty()) {
          scopes.add(part);
        }
      }
    }
    return scopes;
  }

  private static List<String> strings(Object value) {
    if (value instanceof String single) {
      return List.of(single);
    }
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> many) {
      for (Object item : many) {
        if (item instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /**
   * A NumericDate (RFC 7519 §2), held to years 0000 to 9999: an introspection answer may carry
   * any JSON number ({@code 1e300}), which no {@link Instant} holds.
   */
  private static Instant instant(Object value) {
    if (value instanceof Number number) {
      double seconds = number.doubleValue();
      return seconds >= LATEST_SECOND ? LATEST : seconds <= EARLIEST_SECOND ? EARLIEST
          : Instant.ofEpochSecond(number.longValue());
    }
    if (value instanceof java.util.Date date) {
      return date.toInstant();
    }
    return null;
  }

  private static String ago(Instant expires, Instant now) {
    long seconds = Duration.between(expires, now).getSeconds();
    return seconds < 120 ? seconds + " seconds ago" : seconds / 60 + " minutes ago";
  }

  private static TokenRejectedException invalid(String why) {
    return new TokenRejectedException(ErrorCode.TOKEN_CLAIMS_INVALID,
        "The bearer token lacks a required claim: " + why + ".");
  }
}
