package dev.fhirguard.demo.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * HTTP Basic client credentials: {@code base64(urlencode(client_id) ":" urlencode(secret))}, as
 * RFC 6749 section 2.3.1 requires.
 */
record BasicCredentials(String clientId, String secret) {

  private static final String SCHEME = "basic ";

  /** Parses an Authorization header value. */
  static BasicCredentials parse(String authorization) throws OAuthException {
    if (!authorization.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw OAuthException.invalidBasicClient("The Authorization scheme '"
          + Printable.text(authorization.split(" ", 2)[0], 20) + "' is not accepted here;"
          + " use Basic client_id:secret or a client assertion.");
    }
    String decoded = base64Decode(authorization.substring(SCHEME.length()).trim());
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw OAuthException.invalidBasicClient(
          "The Basic credentials have no ':'; send base64(client_id:secret).");
    }
    return new BasicCredentials(
        formDecode(decoded.substring(0, colon)), formDecode(decoded.substring(colon + 1)));
  }

  /** The client id of {@code authorization} if it is readable Basic credentials, else null. */
  static String claimedClientId(String authorization) {
    try {
      return parse(authorization).clientId();
    } catch (OAuthException e) {
      return null;
    }
  }

  private static String base64Decode(String text) throws OAuthException {
    try {
      return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidBasicClient(
          "The Basic credentials are not valid base64; send base64(client_id:secret).");
    }
  }

  private static String formDecode(String text) throws OAuthException {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidBasicClient("The Basic credentials are not form-URL-encoded"
          + " correctly (RFC 6749 section 2.3.1); percent-encode client_id and secret.");
    }
  }

  @Override
  public String toString() {
    return "BasicCredentials[" + Printable.clientId(clientId) + "]";
  }
}
