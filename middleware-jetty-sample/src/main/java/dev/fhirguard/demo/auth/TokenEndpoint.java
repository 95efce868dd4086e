package dev.fhirguard.demo.auth;

import java.util.List;

/**
 * The token endpoint's decisions for a {@code client_credentials} request: authenticates the
 * client, narrows the scopes and issues the access token.
 */
final class TokenEndpoint {

  static final String CLIENT_CREDENTIALS = "client_credentials";

  /** A granted token request. */
  record Grant(String accessToken, long expiresIn, List<String> scopes, String clientId) {

    @Override
    public String toString() {
      return "Grant[" + clientId + ", " + scopes + "]";
    }
  }

  private final ClientAuthenticator authenticator;
  private final AccessTokenIssuer issuer;

  TokenEndpoint(ClientAuthenticator authenticator, AccessTokenIssuer issuer) {
    this.authenticator = authenticator;
    this.issuer = issuer;
  }

  Grant handle(TokenRequest request) throws OAuthException {
    requireClientCredentials(request.grantType());
    ClientRegistration client = authenticator.authenticate(request);
    List<String> scopes = client.grant(request.scopes());
    if (scopes.isEmpty()) {
      throw OAuthException.invalidScope("None of the requested scopes is allowed for client '"
          + Printable.clientId(client.id()) + "'; request some of: "
          + String.join(" ", client.scopes()) + " (or leave scope out to get all of them).");
    }
    String token = issuer.issue(client.id(), scopes);
    return new Grant(token, issuer.lifetime().toSeconds(), scopes, client.id());
  }

  private static void requireClientCredentials(String grantType) throws OAuthException {
    if (grantType == null) {
      throw OAuthException.invalidRequest(
          "The grant_type parameter is missing; send grant_type=client_credentials.");
    }
    if (!grantType.equals(CLIENT_CREDENTIALS)) {
      throw OAuthException.unsupportedGrantType("grant_type '" + Printable.text(grantType, 40)
          + "' is not supported; use client_credentials.");
    }
  }
}
