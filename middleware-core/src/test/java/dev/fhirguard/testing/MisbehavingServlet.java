package dev.fhirguard.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet whose path says how to misbehave: {@code /<behaviour>/<status>}, e.g. {@code
 * /json/401}; without a status, the default status of the subclass.
 */
abstract class MisbehavingServlet extends HttpServlet {

  private final int defaultStatus;

  MisbehavingServlet(int defaultStatus) {
    this.defaultStatus = defaultStatus;
  }

  /**
   * Does {@code behaviour} (empty when the path names none) with {@code status}. Named {@code
   * service} so that a stack trace still shows {@code <Subclass>.service} where a subclass
   * throws.
   */
  abstract void service(String behaviour, int status, HttpServletRequest request,
      HttpServletResponse response) throws IOException;

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] parts = request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
    String behaviour = parts.length > 1 ? parts[1] : "";
    int status = parts.length > 2 ? Integer.parseInt(parts[2]) : defaultStatus;
    service(behaviour, status, request, response);
  }

  /** Sets the status and content type, then writes {@code body} with the writer. */
  static void write(HttpServletResponse response, int status, String type, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    response.getWriter().write(body);
  }
}
