package dev.fhirguard.internal.auth;

import dev.fhirguard.internal.chain.RequestPath;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.config.PathRules;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.List;

/**
 * Verifies the bearer token of requests to protected paths (401), the client's address (403),
 * and, for FHIR bases not served by HAPI, its scopes from the URL (403). The verified client is
 * the request's principal and its id is in the MDC for the rest of the request.
 */
public final class AuthenticationStage implements Stage {

  private final Authenticator authenticator;
  private final ErrorHandler errors;
  private final ScopeCheck scopes;
  private final List<String> urlScopePaths;
  private final String clientIdKey;

  public AuthenticationStage(
      Authenticator authenticator, ErrorHandler errors, ScopeCheck scopes,
      List<String> urlScopePaths, String clientIdKey) {
    this.authenticator = authenticator;
    this.errors = errors;
    this.scopes = scopes;
    this.urlScopePaths = urlScopePaths;
    this.clientIdKey = clientIdKey;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST
        && VerifiedClient.of(request) == null && authenticator.needsToken(request)) {
      Failure refused = authenticator.admit(request);
      if (refused == null) {
        refused = checkUrlScopes(request);
      }
      if (refused != null) {
        errors.refuse(request, response, refused,
            refused.status() == 403 ? "authorization" : "authentication");
        return;
      }
    }
    VerifiedClient client = VerifiedClient.of(request);
    if (client == null) {
      next.proceed(request, response);
      return;
    }
    try (MdcScope scope = MdcScope.open(clientIdKey, RequestTracking.mdcSafe(client.clientId()))) {
      next.proceed(new Authenticated(request, client), response);
    }
  }

  private Failure checkUrlScopes(HttpServletRequest request) {
    if (scopes == null || urlScopePaths.isEmpty()) {
      return null;
    }
    String below = PathRules.below(urlScopePaths, RequestPath.of(request));
    if (below == null) {
      return null;
    }
    return scopes.check(VerifiedClient.of(request),
        UrlNeeds.of(request.getMethod(), below, UrlNeeds.parse(request.getQueryString())));
  }

  /** The request as the application sees it: the verified client is its principal. */
  private static final class Authenticated extends HttpServletRequestWrapper {
    private final VerifiedClient client;

    Authenticated(HttpServletRequest request, VerifiedClient client) {
      super(request);
      this.client = client;
    }

    @Override
    public Principal getUserPrincipal() {
      return client;
    }

    @Override
    public String getRemoteUser() {
      return client.clientId();
    }

    @Override
    public String getAuthType() {
      return "Bearer";
    }
  }
}
