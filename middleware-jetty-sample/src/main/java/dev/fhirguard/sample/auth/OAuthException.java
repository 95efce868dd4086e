package dev.fhirguard.sample.auth;

/**
 * A refused token request: an RFC 6749 section 5.2 error code, its description and HTTP status.
 * Descriptions never contain a secret, an assertion or a stack trace.
 */
final class OAuthException extends Exception {

  static final String ASSERTION_PREFIX = "Invalid client assertion JWT: ";

  private final int status;
  private final String error;
  private final boolean basicChallenge;

  private OAuthException(int status, String error, String description, boolean basicChallenge) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.basicChallenge = basicChallenge;
  }

  static OAuthException invalidRequest(String description) {
    return new OAuthException(400, "invalid_request", description, false);
  }

  /** A client assertion that is not acceptable; {@code reason} says which rule it breaks. */
  static OAuthException invalidAssertion(String reason) {
    return new OAuthException(400, "invalid_client", ASSERTION_PREFIX + reason, false);
  }

  /** Failed HTTP Basic (or missing) client authentication: 401 with a Basic challenge. */
  static OAuthException invalidBasicClient(String description) {
    return new OAuthException(401, "invalid_client", description, true);
  }

  static OAuthException unauthorizedClient(String description) {
    return new OAuthException(400, "unauthorized_client", description, false);
  }

  static OAuthException unsupportedGrantType(String description) {
    return new OAuthException(400, "unsupported_grant_type", description, false);
  }

  static OAuthException invalidScope(String description) {
    return new OAuthException(400, "invalid_scope", description, false);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String description() {
    return getMessage();
  }

  /** Whether the answer carries {@code WWW-Authenticate: Basic}. */
  boolean basicChallenge() {
    return basicChallenge;
  }
}
