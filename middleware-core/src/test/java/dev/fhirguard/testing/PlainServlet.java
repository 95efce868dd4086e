package dev.fhirguard.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.LoggerFactory;

/**
 * A non-FHIR servlet that misbehaves the way real containers, gateways and apps do. The path
 * is {@code /plain/<behaviour>/<status>}, e.g. {@code /plain/json/401}.
 */
public final class PlainServlet extends MisbehavingServlet {

  public static final String SECRET_SQL = "SELECT ssn FROM patient WHERE id = 7";

  public PlainServlet() {
    super(500);
  }

  @Override
  void service(String behaviour, int status, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    LoggerFactory.getLogger(PlainServlet.class).info("plain servlet doing {}", behaviour);
    switch (behaviour) {
      case "ok" -> {
        response.setContentType("text/plain");
        response.getWriter().write("ok");
      }
      case "send-error" -> response.sendError(status, "Version conflict on Patient/1");
      case "send-error-bare" -> response.sendError(status);
      case "own-headers" -> { // an application that says its challenge and methods itself
        response.setHeader("WWW-Authenticate", "Basic realm=\"legacy\"");
        response.setHeader("Allow", "GET");
        response.sendError(status);
      }
      case "status" -> response.setStatus(status);
      case "json" -> write(response, status, "application/json", "{\"message\":\"Unauthorized\"}");
      case "html" -> write(response, status, "text/html",
          "<html><head><title>Service down</title></head><body>at com.example.X.y(X.java:1)</body></html>");
      case "text" -> write(response, status, "text/plain", "Quota exhausted for this key\nmore");
      case "stream" -> {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.getOutputStream().write("streamed error text".getBytes());
      }
      case "fhir-oo" -> write(response, status, "application/fhir+json;charset=UTF-8",
          "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
              + "\"code\":\"business-rule\",\"diagnostics\":\"kept as is\"}]}");
      case "json-oo" -> write(response, status, "application/json",
          "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
              + "\"code\":\"business-rule\",\"diagnostics\":\"kept too\"}]}");
      case "big-html" -> write(response, status, "text/html", "<p>x</p>".repeat(80_000));
      case "throw" -> throw new IllegalStateException(SECRET_SQL);
      case "commit-then-throw" -> {
        response.setContentType("text/plain");
        response.getWriter().write("partial");
        response.flushBuffer();
        throw new IllegalStateException(SECRET_SQL);
      }
      case "status-after-write" -> {
        response.setContentType("text/html");
        response.getWriter().write("<p>looked fine</p>");
        response.setStatus(status);
      }
      case "set-request-id" -> {
        response.setHeader("X-Request-ID", "from-app");
        response.addHeader("x-request-id", "from-app-too");
        response.setContentType("text/plain");
        response.getWriter().write("ok");
      }
      case "reset" -> { // as frameworks do before writing their own error page
        response.setHeader("X-App", "set before the reset");
        response.reset();
        if (status >= 400) {
          response.sendError(status);
        } else {
          write(response, status, "text/plain", "written after a reset");
        }
      }
      case "async-timeout" -> {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(300);
      }
      default -> response.sendError(404);
    }
  }
}
