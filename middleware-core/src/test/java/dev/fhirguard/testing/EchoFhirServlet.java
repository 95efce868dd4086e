package dev.fhirguard.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny FHIR-shaped servlet that is not HAPI: answers every method on every path with 200 and
 * {@code "<METHOD> <pathInfo>"}, and counts the requests that reached it.
 */
public final class EchoFhirServlet extends HttpServlet {

  private final AtomicInteger served = new AtomicInteger();

  public int served() {
    return served.get();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    served.incrementAndGet();
    response.setStatus(200);
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().write(request.getMethod() + " " + request.getPathInfo());
  }
}
