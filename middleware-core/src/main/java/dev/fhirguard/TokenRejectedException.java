package dev.fhirguard;

/**
 * A bearer token was refused. The code is a 401 catalog entry ({@link ErrorCode#TOKEN_EXPIRED},
 * {@link ErrorCode#TOKEN_SIGNATURE_INVALID}, ...) or {@link
 * ErrorCode#TOKEN_VERIFICATION_UNAVAILABLE} when the verifier could not reach what it needs. The
 * message is shown to the client: it must say what is wrong without repeating the token.
 */
public final class TokenRejectedException extends Exception {

  private final ErrorCode code;

  public TokenRejectedException(ErrorCode code, String message) {
    super(message, null, false, false);
    if (code.status() != 401 && code != ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE) {
      throw new IllegalArgumentException(
          "a token is refused with a 401 code or TOKEN_VERIFICATION_UNAVAILABLE, not " + code);
    }
    this.code = code;
  }

  /** Why the token was refused. */
  public ErrorCode code() {
    return code;
  }
}
