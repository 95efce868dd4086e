package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Errors Jetty handles inside the /auth context are JSON, never HTML or a stack trace. */
class ContextErrorsTest {

  private static AuthServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = AuthServerFixture.start(context -> {
      context.addServlet(new ServletHolder(new Failing()), "/failing");
      context.addServlet(new ServletHolder(new Forbidding()), "/forbidding");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void uncaught_exception_is_a_json_server_error_without_details() throws Exception {
    HttpResponse<String> response = server.get("/auth/failing");

    assertEquals("HTTP 500 Server Error.", assertError(response, 500, "server_error"));
    assertFalse(response.body().contains("internal detail"), response.body());
  }

  @Test
  void send_error_is_a_json_error() throws Exception {
    HttpResponse<String> response = server.get("/auth/forbidding");

    assertEquals("HTTP 403 Forbidden.", assertError(response, 403, "invalid_request"));
  }

  /** Throws, as a bug would. */
  static final class Failing extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new IllegalStateException("internal detail");
    }
  }

  /** Uses the container's error path. */
  static final class Forbidding extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.sendError(403, "internal detail");
    }
  }
}
