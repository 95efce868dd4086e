package dev.fhirguard.sample.auth;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /auth/jwks}: the public key that verifies the access tokens. */
final class JwksServlet extends HttpServlet {

  static final String JWK_SET_TYPE = "application/jwk-set+json;charset=UTF-8";

  private final transient JWKSet publicKeys;

  JwksServlet(JWKSet publicKeys) {
    this.publicKeys = publicKeys;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      super.service(request, response);
    } else {
      JsonResponses.methodNotAllowed(response, "GET, HEAD", "The JWKS endpoint");
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "public, max-age=300");
    JsonResponses.write(response, 200, JWK_SET_TYPE, publicKeys.toJSONObject(true));
  }
}
