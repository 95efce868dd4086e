package dev.fhirguard.demo.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: the SMART App Launch 2 discovery document
 * of this Backend Services (client_credentials only) authorization server.
 */
final class SmartConfigurationServlet extends JsonDocumentServlet {

  static final String SSO_OPENID_CONNECT = "sso-openid-connect";
  static final List<String> CAPABILITIES = List.of(
      "client-confidential-asymmetric", "client-confidential-symmetric",
      "permission-v1", "permission-v2");

  private final transient AuthEndpoints endpoints;
  private final transient List<String> scopes;

  SmartConfigurationServlet(AuthEndpoints endpoints, List<String> scopes) {
    super("The SMART configuration", JsonResponses.JSON);
    this.endpoints = endpoints;
    this.scopes = List.copyOf(scopes);
  }

  @Override
  Map<String, Object> document() {
    Map<String, Object> document = new LinkedHashMap<>();
    if (CAPABILITIES.contains(SSO_OPENID_CONNECT)) { // SMART 2: issuer only with OpenID Connect
      document.put("issuer", endpoints.issuer());
    }
    document.put("jwks_uri", endpoints.jwksUrl());
    document.put("token_endpoint", endpoints.tokenUrl());
    document.put("grant_types_supported", List.of(TokenEndpoint.CLIENT_CREDENTIALS));
    document.put("token_endpoint_auth_methods_supported", List.of(
        ClientAuthMethod.PRIVATE_KEY_JWT.wireName(),
        ClientAuthMethod.CLIENT_SECRET_BASIC.wireName()));
    document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    document.put("scopes_supported", scopes);
    document.put("capabilities", CAPABILITIES);
    return document;
  }
}
