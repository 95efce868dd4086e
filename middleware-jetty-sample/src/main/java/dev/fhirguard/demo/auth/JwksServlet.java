package dev.fhirguard.demo.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.Map;

/** {@code GET /auth/jwks}: the public key that verifies the access tokens. */
final class JwksServlet extends JsonDocumentServlet {

  static final String JWK_SET_TYPE = "application/jwk-set+json;charset=UTF-8";

  private final transient JWKSet publicKeys;

  JwksServlet(JWKSet publicKeys) {
    super("The JWKS endpoint", JWK_SET_TYPE);
    this.publicKeys = publicKeys;
  }

  @Override
  Map<String, Object> document() {
    return publicKeys.toJSONObject(true);
  }
}
