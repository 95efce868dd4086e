package dev.fhirguard.internal.auth;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The HAPI side of access control: checks the verified client's scopes against HAPI's view of
 * the request (entry by entry for batches and transactions). Where no filter authenticated the
 * request (an interceptor-only deployment), it authenticates it first, so it fails closed.
 */
public final class AccessControl {

  private final Authenticator authenticator;
  private final ScopeCheck scopes;
  private final ErrorHandler errors;

  /** @param scopes the scope check, or {@code null} when scopes are not enforced */
  public AccessControl(Authenticator authenticator, ScopeCheck scopes, ErrorHandler errors) {
    this.authenticator = authenticator;
    this.scopes = scopes;
    this.errors = errors;
  }

  /**
   * Whether HAPI may go on; when not, the refusal has been sent. Public access is decided by the
   * interaction HAPI selected, not by the path alone: on a public path only the public operations
   * (the capability statement by default) are served without a token and without a scope check.
   */
  public boolean permits(
      RequestDetails details, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    RestOperationTypeEnum operation = details.getRestOperationType();
    if (!authenticator.needsTokenToServe(request, operation == null ? null : operation.getCode())) {
      return true;
    }
    // A request the filter let pass without a token (a public path, one shaped like a CORS
    // preflight, a deployment without the filter) is authenticated here: HAPI is serving it.
    Failure refused = VerifiedClient.of(request) == null ? authenticator.admit(request) : null;
    if (refused == null && scopes != null) {
      refused = scopes.check(VerifiedClient.of(request), HapiNeeds.of(details));
    }
    if (refused != null) {
      errors.refuse(request, response, refused, "authorization");
      return false;
    }
    return true;
  }
}
