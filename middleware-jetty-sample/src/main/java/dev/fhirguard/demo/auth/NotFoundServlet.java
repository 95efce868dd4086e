package dev.fhirguard.demo.auth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Every other path under {@code /auth}: a JSON 404 that names the real endpoints. */
final class NotFoundServlet extends HttpServlet {

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    JsonResponses.error(response, 404, "not_found", "No such endpoint under /auth; this"
        + " authorization server serves POST /auth/token and GET /auth/jwks.");
  }
}
