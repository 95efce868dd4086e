package dev.fhirguard.internal.auth;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.ErrorResponder;
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
  private final ErrorResponder responder;

  /** @param scopes the scope check, or {@code null} when scopes are not enforced */
  public AccessControl(Authenticator authenticator, ScopeCheck scopes, ErrorResponder responder) {
    this.authenticator = authenticator;
    this.scopes = scopes;
    this.responder = responder;
  }

  /** Whether HAPI may go on; when not, the refusal has been sent. */
  public boolean permits(
      RequestDetails details, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!authenticator.enabled()) {
      return true;
    }
    Failure refused = null;
    // A CORS preflight passes the filter, but one that reached a HAPI handler other than the
    // capability statement would run it unauthenticated (HAPI's history binding ignores the
    // HTTP method, so OPTIONS .../_history returns history).
    VerifiedClient client = VerifiedClient.of(request);
    if (client == null && needsToken(details, request)) {
      refused = authenticator.admit(request);
      client = VerifiedClient.of(request);
    }
    if (refused == null && client != null && scopes != null) {
      refused = scopes.check(client, HapiNeeds.of(details));
    }
    if (refused != null) {
      responder.refuse(request, response, refused);
      return false;
    }
    return true;
  }

  private boolean needsToken(RequestDetails details, HttpServletRequest request) {
    return details.getRestOperationType() == RestOperationTypeEnum.METADATA
        ? authenticator.needsToken(request) : authenticator.needsTokenForHandler(request);
  }
}
