package dev.fhirguard.internal.auth;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/** Reads the bearer token of a request's {@code Authorization} header (RFC 6750 §2.1). */
final class BearerHeader {

  static final String AUTHORIZATION = "Authorization";

  private BearerHeader() {}

  /**
   * The token, checked for shape only.
   *
   * @throws TokenRejectedException when there is no usable bearer token
   */
  static String token(HttpServletRequest request, int maxLength) throws TokenRejectedException {
    Enumeration<String> headers = request.getHeaders(AUTHORIZATION);
    if (headers == null || !headers.hasMoreElements()) {
      throw new TokenRejectedException(ErrorCode.TOKEN_MISSING,
          "Invalid or missing authorization token: the request has no Authorization header."
              + " Send Authorization: Bearer <access token>.");
    }
    String header = headers.nextElement();
    if (headers.hasMoreElements()) {
      throw new TokenRejectedException(ErrorCode.TOKEN_MALFORMED,
          "The request has more than one Authorization header; send exactly one.");
    }
    return token(header, maxLength);
  }

  static String token(String header, int maxLength) throws TokenRejectedException {
    String value = header.strip();
    if (value.isEmpty()) {
      throw new TokenRejectedException(ErrorCode.TOKEN_EMPTY,
          "The Authorization header is empty. Send Authorization: Bearer <access token>.");
    }
    int space = indexOfSpace(value);
    String scheme = space < 0 ? value : value.substring(0, space);
    if (!scheme.equalsIgnoreCase("Bearer")) {
      throw new TokenRejectedException(ErrorCode.AUTH_SCHEME_NOT_SUPPORTED,
          "The Authorization header uses a scheme other than Bearer. Send Authorization: Bearer"
              + " <access token> with a token from the authorization server.");
    }
    String token = space < 0 ? "" : value.substring(space + 1).strip();
    if (token.isEmpty()) {
      throw new TokenRejectedException(ErrorCode.TOKEN_EMPTY,
          "The Authorization header says Bearer but carries no token.");
    }
    if (token.length() > maxLength) {
      throw new TokenRejectedException(ErrorCode.TOKEN_MALFORMED,
          "The bearer token is longer than " + maxLength + " characters.");
    }
    if (!isB64Token(token)) {
      throw new TokenRejectedException(ErrorCode.TOKEN_MALFORMED,
          "The bearer token contains characters a token cannot have (RFC 6750 b64token).");
    }
    return token;
  }

  private static int indexOfSpace(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == ' ' || value.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  /** The b64token characters (RFC 6750 §2.1) other than the padding '='. */
  private static final boolean[] TOKEN_CHARACTER = new boolean[128];

  static {
    String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
    for (int i = 0; i < allowed.length(); i++) {
      TOKEN_CHARACTER[allowed.charAt(i)] = true;
    }
  }

  /**
   * {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. A table lookup per
   * character: with the range comparisons, the random mix of letters and digits in a token's
   * signature made the branches unpredictable, and this check cost more than the cache lookup
   * that follows it (docs/benchmarks.md, token verification).
   */
  static boolean isB64Token(String token) {
    int end = token.length();
    while (end > 0 && token.charAt(end - 1) == '=') {
      end--;
    }
    if (end == 0) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = token.charAt(i);
      if (c >= TOKEN_CHARACTER.length || !TOKEN_CHARACTER[c]) {
        return false;
      }
    }
    return true;
  }
}
