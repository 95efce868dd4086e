package dev.fhirguard;

/**
 * Verifies a bearer token and tells who presented it. fhirguard's own verifiers check JWTs
 * against the issuer's keys or ask an RFC 7662 introspection endpoint; plug another with {@link
 * FhirGuard.Builder#tokenVerifier}. Results are cached by fhirguard until the client's {@link
 * VerifiedClient#expiresAt()}, so an implementation is called once per distinct token.
 */
@FunctionalInterface
public interface TokenVerifier {

  /**
   * @param token the token as sent, without the {@code Bearer } prefix; never logged by fhirguard
   * @return the verified client
   * @throws TokenRejectedException when the token is not acceptable, with the catalog code that
   *     says why
   */
  VerifiedClient verify(String token) throws TokenRejectedException;
}
