package dev.fhirguard.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A plain, non-FHIR servlet that answers like a gateway or legacy component would: JSON or HTML
 * error bodies, {@code sendError} and empty error responses. fhirguard turns each error into an
 * OperationOutcome.
 */
public class LegacyGatewayServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    switch (path) {
      case "/ok" -> write(resp, 200, "text/plain", "ok");
      case "/unauthorized" ->
          write(resp, 401, "application/json", "{\"message\":\"Unauthorized\"}");
      case "/html" ->
          write(resp, 503, "text/html",
              "<html><head><title>Service down</title></head><body><h1>Down</h1></body></html>");
      case "/send-error" -> resp.sendError(409, "Version conflict on Patient/1");
      case "/empty" -> resp.setStatus(422);
      default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  private static void write(HttpServletResponse resp, int status, String type, String body)
      throws IOException {
    resp.setStatus(status);
    resp.setContentType(type);
    resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
    resp.getWriter().write(body);
  }
}
