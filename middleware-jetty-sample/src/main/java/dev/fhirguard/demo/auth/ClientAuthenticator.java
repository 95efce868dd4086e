package dev.fhirguard.demo.auth;

/**
 * Authenticates the client of a token request by exactly one method: a {@code private_key_jwt}
 * client assertion or HTTP Basic {@code client_secret_basic}.
 */
final class ClientAuthenticator {

  private final ClientRegistry clients;
  private final ClientAssertionVerifier assertions;

  ClientAuthenticator(ClientRegistry clients, ClientAssertionVerifier assertions) {
    this.clients = clients;
    this.assertions = assertions;
  }

  ClientRegistration authenticate(TokenRequest request) throws OAuthException {
    if (request.clientSecret() != null) {
      throw OAuthException.invalidBasicClient("client_secret in the body (client_secret_post)"
          + " is not supported; send client_id:secret with HTTP Basic instead.");
    }
    boolean assertion = request.clientAssertion() != null || request.clientAssertionType() != null;
    if (assertion && request.authorization() != null) {
      throw OAuthException.invalidRequest("Both an Authorization header and a client assertion"
          + " are sent; use exactly one client authentication method.");
    }
    if (assertion) {
      return byAssertion(request);
    }
    if (request.authorization() != null) {
      return byBasic(request);
    }
    throw OAuthException.invalidBasicClient("No client authentication is sent; send a"
        + " private_key_jwt client assertion (client_assertion_type and client_assertion)"
        + " or HTTP Basic client_id:secret.");
  }

  private ClientRegistration byAssertion(TokenRequest request) throws OAuthException {
    if (request.clientAssertionType() == null) {
      throw OAuthException.invalidRequest("client_assertion_type is missing; send "
          + ClientAssertionVerifier.ASSERTION_TYPE + ".");
    }
    if (!request.clientAssertionType().equals(ClientAssertionVerifier.ASSERTION_TYPE)) {
      throw OAuthException.invalidRequest("client_assertion_type '"
          + Printable.text(request.clientAssertionType(), 80) + "' is not supported; send "
          + ClientAssertionVerifier.ASSERTION_TYPE + ".");
    }
    if (request.clientAssertion() == null) {
      throw OAuthException.invalidRequest(
          "client_assertion is missing; send the signed JWT client assertion.");
    }
    return assertions.verify(request.clientAssertion(), request.clientId());
  }

  private ClientRegistration byBasic(TokenRequest request) throws OAuthException {
    BasicCredentials credentials = BasicCredentials.parse(request.authorization());
    String id = Printable.clientId(credentials.clientId());
    ClientRegistration client = clients.find(credentials.clientId()).orElseThrow(() ->
        OAuthException.basicNotVerified("unknown client '" + id + "'"));
    if (client.authMethod() != ClientAuthMethod.CLIENT_SECRET_BASIC) {
      throw OAuthException.basicNotVerified(
          "client '" + id + "' is registered for private_key_jwt");
    }
    if (!client.secretMatches(credentials.secret())) {
      throw OAuthException.basicNotVerified("wrong secret for client '" + id + "'");
    }
    if (request.clientId() != null && !request.clientId().equals(client.id())) {
      throw OAuthException.invalidRequest("The client_id parameter '"
          + Printable.clientId(request.clientId()) + "' does not match the client '" + id
          + "' of the Authorization header; send the same client_id or leave it out.");
    }
    return client;
  }
}
