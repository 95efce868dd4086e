package dev.fhirguard.demo.auth;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** A read-only JSON document for GET and HEAD, cacheable for five minutes; 405 otherwise. */
abstract class JsonDocumentServlet extends HttpServlet {

  private final String name;
  private final String contentType;

  /** @param name how a 405 names the document ("The JWKS endpoint") */
  JsonDocumentServlet(String name, String contentType) {
    this.name = name;
    this.contentType = contentType;
  }

  /** The document, as JSON members. */
  abstract Map<String, Object> document();

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      super.service(request, response);
    } else {
      JsonResponses.methodNotAllowed(response, "GET, HEAD", name);
    }
  }

  @Override
  protected final void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "public, max-age=300");
    JsonResponses.write(response, 200, contentType, document());
  }
}
