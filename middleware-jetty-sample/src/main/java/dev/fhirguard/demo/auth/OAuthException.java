package dev.fhirguard.demo.auth;

/**
 * A refused token request: an RFC 6749 section 5.2 error code, its description and HTTP status.
 * Descriptions never contain a secret, an assertion or a stack trace.
 */
final class OAuthException extends Exception {

  static final String ASSERTION_PREFIX = "Invalid client assertion JWT: ";
  static final String ASSERTION_NOT_VERIFIED = ASSERTION_PREFIX + "client authentication"
      + " failed; iss and sub must name a client registered for private_key_jwt, and the"
      + " assertion must be signed with that client's registered key, named by kid in the header.";
  static final String BASIC_NOT_VERIFIED = "Client authentication failed; check the client_id"
      + " and secret of the Basic credentials (client_secret_basic).";

  private final int status;
  private final String error;
  private final boolean basicChallenge;
  private final String logReason;

  private OAuthException(int status, String error, String description, boolean basicChallenge,
      String logReason) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.basicChallenge = basicChallenge;
    this.logReason = logReason;
  }

  private OAuthException(int status, String error, String description) {
    this(status, error, description, false, null);
  }

  static OAuthException invalidRequest(String description) {
    return new OAuthException(400, "invalid_request", description);
  }

  /** A client assertion that is not acceptable; {@code reason} says which rule it breaks. */
  static OAuthException invalidAssertion(String reason) {
    return new OAuthException(400, "invalid_client", ASSERTION_PREFIX + reason);
  }

  /**
   * An assertion of an unknown client, of a client without keys, or not signed with the client's
   * key: one description for all, so that answers do not tell which clients exist; {@code
   * reason} goes to the log only.
   */
  static OAuthException assertionNotVerified(String reason) {
    return new OAuthException(400, "invalid_client", ASSERTION_NOT_VERIFIED, false, reason);
  }

  /** Failed HTTP Basic (or missing) client authentication: 401 with a Basic challenge. */
  static OAuthException invalidBasicClient(String description) {
    return new OAuthException(401, "invalid_client", description, true, null);
  }

  /**
   * Basic credentials of an unknown client, of a client without a secret, or with a wrong
   * secret: like {@link #assertionNotVerified}, one description, {@code reason} for the log.
   */
  static OAuthException basicNotVerified(String reason) {
    return new OAuthException(401, "invalid_client", BASIC_NOT_VERIFIED, true, reason);
  }

  static OAuthException unsupportedGrantType(String description) {
    return new OAuthException(400, "unsupported_grant_type", description);
  }

  static OAuthException invalidScope(String description) {
    return new OAuthException(400, "invalid_scope", description);
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

  /** Why the client was refused, for the log, when the description does not say; else null. */
  String logReason() {
    return logReason;
  }

  /** Whether the answer carries {@code WWW-Authenticate: Basic}. */
  boolean basicChallenge() {
    return basicChallenge;
  }
}
