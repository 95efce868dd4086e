package dev.fhirguard.demo.auth;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A POST to the token endpoint: its form parameters and Authorization header. Parameters are read
 * from the body only; the query string is ignored.
 */
final class TokenRequest {

  static final String FORM_TYPE = "application/x-www-form-urlencoded";
  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_SCOPE_LENGTH = 1024;

  private final FormParameters form;
  private final String authorization;

  TokenRequest(FormParameters form, String authorization) {
    this.form = form;
    this.authorization = authorization;
  }

  /** Reads the body of {@code request}, which must be a form of at most 16 KiB. */
  static TokenRequest read(HttpServletRequest request) throws OAuthException, IOException {
    requireFormContentType(request.getContentType());
    String body = readBody(request.getInputStream());
    return new TokenRequest(FormParameters.parse(body), request.getHeader("Authorization"));
  }

  String grantType() {
    return form.get("grant_type");
  }

  /**
   * The requested scopes; empty when the scope parameter is absent or blank.
   *
   * @throws OAuthException invalid_scope unless the parameter is SMART resource scopes separated
   *     by spaces, in at most {@value #MAX_SCOPE_LENGTH} printable ASCII characters
   */
  List<String> scopes() throws OAuthException {
    String scope = form.get("scope");
    if (scope == null) {
      return List.of();
    }
    if (scope.length() > MAX_SCOPE_LENGTH) {
      throw OAuthException.invalidScope("The scope parameter is longer than " + MAX_SCOPE_LENGTH
          + " characters; ask for fewer scopes, or for wider ones like system/*.rs.");
    }
    if (!scope.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw OAuthException.invalidScope("The scope parameter has a character outside printable"
          + " ASCII (a control, tab, line break or non-ASCII character); separate SMART scopes"
          + " by spaces.");
    }
    List<String> scopes = scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split(" +"));
    for (String requested : scopes) {
      if (SmartScope.parse(requested).isEmpty()) {
        throw OAuthException.invalidScope("'" + Printable.text(requested, 80) + "' is not a SMART"
            + " resource scope like system/Patient.rs or system/*.read; ask only for those.");
      }
    }
    return scopes;
  }

  String clientId() {
    return form.get("client_id");
  }

  String clientSecret() {
    return form.get("client_secret");
  }

  String clientAssertionType() {
    return form.get("client_assertion_type");
  }

  String clientAssertion() {
    return form.get("client_assertion");
  }

  String authorization() {
    return authorization;
  }

  /** The client this request claims to be, unverified; for logging only. */
  String claimedClientId() {
    if (clientId() != null) {
      return clientId();
    }
    if (authorization != null) {
      return BasicCredentials.claimedClientId(authorization);
    }
    return unverifiedIssuer(clientAssertion());
  }

  private static String unverifiedIssuer(String assertion) {
    try {
      return assertion == null ? null : JWTParser.parse(assertion).getJWTClaimsSet().getIssuer();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  private static void requireFormContentType(String contentType) throws OAuthException {
    String mediaType = contentType == null
        ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(FORM_TYPE)) {
      throw OAuthException.invalidRequest("Content-Type must be " + FORM_TYPE + ", not '"
          + Printable.text(contentType == null ? "none" : contentType, 60)
          + "'. Send the parameters as a form body.");
    }
  }

  private static String readBody(InputStream in) throws IOException, OAuthException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw OAuthException.invalidRequest("The request body is larger than " + MAX_BODY_BYTES
          + " bytes; a token request is small.");
    }
    return new String(body, StandardCharsets.UTF_8);
  }
}
