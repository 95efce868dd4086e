package dev.fhirguard.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An application that misbehaves in ways {@link PlainServlet} does not: it tries to set
 * fhirguard's own headers through the date-header methods of the servlet API ({@code /set-date},
 * {@code /add-date}, {@code /add-date-correlation}), and throws a {@link VirtualMachineError}
 * ({@code /stack-overflow}).
 */
public final class RawAppServlet extends HttpServlet {

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String behaviour = request.getPathInfo() == null ? "" : request.getPathInfo();
    switch (behaviour) {
      case "/set-date" -> response.setDateHeader("X-Request-ID", 0L);
      case "/add-date" -> response.addDateHeader("X-Request-ID", 0L);
      case "/add-date-correlation" -> response.addDateHeader("X-Correlation-Id", 0L);
      case "/stack-overflow" -> throw new StackOverflowError("simulated deep recursion");
      default -> {
        response.sendError(404);
        return;
      }
    }
    response.setContentType("text/plain");
    response.getWriter().write("ok");
  }
}
