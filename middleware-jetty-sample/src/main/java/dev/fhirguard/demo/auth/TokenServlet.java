package dev.fhirguard.demo.auth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /auth/token}: answers RFC 6749 token responses and errors, never cached, and logs
 * one line per refusal without secrets or assertions, with the reason an answer may keep from
 * the client (why its authentication failed).
 */
final class TokenServlet extends HttpServlet {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.demo.auth");
  private static final String REALM = "Basic realm=\"fhirguard-sample\"";

  private final transient TokenEndpoint endpoint;

  TokenServlet(TokenEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      LOG.info("Token request refused: HTTP 405, method {} is not POST",
          Printable.text(request.getMethod(), 20));
      JsonResponses.methodNotAllowed(response, "POST",
          "The token endpoint (send grant_type=client_credentials as a form body)");
      return;
    }
    String claimedClientId = null;
    try {
      TokenRequest tokenRequest = TokenRequest.read(request);
      claimedClientId = tokenRequest.claimedClientId();
      grant(response, endpoint.handle(tokenRequest));
    } catch (OAuthException refusal) {
      refuse(response, refusal, claimedClientId);
    }
  }

  private static void grant(HttpServletResponse response, TokenEndpoint.Grant grant)
      throws IOException {
    LOG.info("Token issued: client={} scope={}", Printable.clientId(grant.clientId()),
        Printable.text(String.join(" ", grant.scopes()), TokenRequest.MAX_SCOPE_LENGTH));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", grant.accessToken());
    body.put("token_type", "Bearer");
    body.put("expires_in", grant.expiresIn());
    body.put("scope", String.join(" ", grant.scopes()));
    JsonResponses.noStore(response);
    JsonResponses.write(response, 200, JsonResponses.JSON, body);
  }

  private static void refuse(HttpServletResponse response, OAuthException refusal,
      String claimedClientId) throws IOException {
    String reason = refusal.logReason() == null
        ? "" : " (" + Printable.text(refusal.logReason(), 200) + ")";
    LOG.info("Token request refused: HTTP {} {} client={} - {}{}", refusal.status(),
        refusal.error(), Printable.clientId(claimedClientId),
        Printable.text(refusal.description(), 400), reason);
    if (refusal.basicChallenge()) {
      response.setHeader("WWW-Authenticate", REALM);
    }
    JsonResponses.error(response, refusal.status(), refusal.error(), refusal.description());
  }
}
