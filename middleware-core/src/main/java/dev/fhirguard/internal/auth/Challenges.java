package dev.fhirguard.internal.auth;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.internal.outcome.Failure;
import java.time.Duration;

/** The failures of authentication and authorization, with their RFC 6750 challenges. */
public final class Challenges {

  static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  private Challenges() {}

  /**
   * A refused token. Per RFC 6750 §3.1, a request without credentials, or with another scheme,
   * gets a bare challenge; any other refusal says {@code error="invalid_token"}. A verifier that
   * could not work answers 503 with {@code Retry-After}.
   */
  static Failure refused(TokenRejectedException e, String realm, Duration retryAfter) {
    ErrorCode code = e.code();
    Failure failure = Failure.of(code, e.getMessage());
    if (code == ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE) {
      return failure.withRetryAfter(retryAfter);
    }
    String challenge = "Bearer realm=\"" + realm + "\"";
    if (code != ErrorCode.TOKEN_MISSING && code != ErrorCode.AUTH_SCHEME_NOT_SUPPORTED) {
      challenge += ", error=\"invalid_token\", error_description=\"" + quotable(e.getMessage()) + "\"";
    }
    return failure.withHeader(WWW_AUTHENTICATE, challenge);
  }

  /** 403: the token lacks the scope the request needs. */
  public static Failure insufficientScope(String realm, String scope, String message) {
    return Failure.of(ErrorCode.SCOPE_INSUFFICIENT, message)
        .withHeader(WWW_AUTHENTICATE, "Bearer realm=\"" + realm
            + "\", error=\"insufficient_scope\", scope=\"" + quotable(scope) + "\"");
  }

  /** 403: the client called from an address outside its allow-list. */
  static Failure addressNotAllowed(String clientId) {
    return Failure.of(ErrorCode.CLIENT_ADDRESS_NOT_ALLOWED,
        "IP address not whitelisted: client " + clientId
            + " may only call from the addresses registered for it.");
  }

  /**
   * The text as the body of a quoted-string that RFC 6750 allows in {@code error_description}
   * and {@code scope} ({@code %x20-21 / %x23-5B / %x5D-7E}); anything else becomes '?', and the
   * text is cut to 200 characters.
   */
  static String quotable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : c == '"' ? '\'' : '?');
    }
    return out.toString();
  }
}
