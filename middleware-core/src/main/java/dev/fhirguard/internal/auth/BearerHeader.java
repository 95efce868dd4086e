package dev.fhirguard.internal.auth;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Enumeration;

/**
 * Reads the bearer token of a request's {@code Authorization} header (RFC 6750 §2.1), and checks
 * the spelling of a JWT's parts: both with one table of the token characters.
 */
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

  /** The b64token characters (RFC 6750 §2.1) outside base64url: '.', '~', '+', '/'. */
  private static final byte OTHER_TOKEN_CHARACTER = 64;
  private static final byte NOT_A_TOKEN_CHARACTER = -1;

  /**
   * For each ASCII character: its value in base64url (RFC 4648 §5), 0 to 63; {@link
   * #OTHER_TOKEN_CHARACTER} for the other b64token characters but the padding '='; else {@link
   * #NOT_A_TOKEN_CHARACTER}.
   */
  private static final byte[] SEXTET = new byte[128];

  static {
    Arrays.fill(SEXTET, NOT_A_TOKEN_CHARACTER);
    String base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < base64url.length(); i++) {
      SEXTET[base64url.charAt(i)] = (byte) i;
    }
    for (char c : ".~+/".toCharArray()) {
      SEXTET[c] = OTHER_TOKEN_CHARACTER;
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
      if (c >= SEXTET.length || SEXTET[c] == NOT_A_TOKEN_CHARACTER) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every '.'-separated part of {@code token} is in canonical base64url, as JWS compact
   * serialization requires (RFC 7515 §2): the base64url alphabet only, no padding, no lone last
   * character, and the bits of the last character that encode no byte are zero (RFC 4648 §3.5).
   * So a JWT has exactly one spelling, and the verified-token cache one key for it.
   */
  static boolean isCanonicalBase64Url(String token) {
    int partStart = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (!endsCanonically(token, partStart, i)) {
          return false;
        }
        partStart = i + 1;
      } else if (c >= SEXTET.length || SEXTET[c] < 0 || SEXTET[c] == OTHER_TOKEN_CHARACTER) {
        return false;
      }
    }
    return endsCanonically(token, partStart, token.length());
  }

  /** Whether the base64url part from {@code start} to {@code end} has no stray bits at its end. */
  private static boolean endsCanonically(String token, int start, int end) {
    int unusedBits = switch ((end - start) % 4) {
      case 0 -> 0;
      case 2 -> 4; // one byte in the last two characters
      case 3 -> 2; // two bytes in the last three
      default -> -1; // a lone character encodes no byte
    };
    return unusedBits == 0
        || unusedBits > 0 && (SEXTET[token.charAt(end - 1)] & ((1 << unusedBits) - 1)) == 0;
  }
}
