package dev.fhirguard.feature.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Async listeners of the application, the success path's bytes and headers, and the Allow header's
 * truthfulness, with fhirguard's filter ({@code guarded}) and with its interceptor alone ({@code
 * plain}).
 */
class AsyncAndSuccessPathTest {

  /** Async-capable servlet at /a/*, HAPI at /fhir/*, fhirguard installed. */
  static TestServer.Builder server() {
    return TestServer.builder().fhir("/fhir/*", new TestFhirServer())
        .asyncServlet("/a/*", new AppServlet());
  }

  @RegisterExtension static final TestServer guarded = server().perClass();
  /** The interceptor on the HAPI server, no filter. */
  @RegisterExtension static final TestServer plain = server().withoutFilter().perClass();

  static final class AppServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      switch (request.getPathInfo()) {
        case "/timeout-handled-by-app" -> {
          AsyncContext async = request.startAsync();
          async.setTimeout(200);
          async.addListener(new AsyncListener() {
            @Override public void onTimeout(AsyncEvent e) throws IOException {
              HttpServletResponse r = (HttpServletResponse) e.getSuppliedResponse();
              r.setStatus(200);
              r.setContentType("text/plain");
              r.getWriter().write("app fallback");
              e.getAsyncContext().complete();
            }
            @Override public void onComplete(AsyncEvent e) {}
            @Override public void onError(AsyncEvent e) {}
            @Override public void onStartAsync(AsyncEvent e) {}
          });
        }
        case "/writer-ok" -> {
          response.setContentType("text/plain");
          response.getWriter().write("hello");
        }
        default -> response.sendError(404);
      }
    }
  }

  @Test
  void an_app_that_answers_its_own_async_timeout_keeps_its_answer() {
    HttpResponse<String> p = plain.get("/a/timeout-handled-by-app");
    assertEquals(200, p.statusCode(), "without fhirguard: " + p.body());
    HttpResponse<String> g = guarded.get("/a/timeout-handled-by-app");
    assertEquals(200, g.statusCode(), g.body());
    assertEquals("app fallback", g.body());
  }

  @Test
  void a_successful_writer_response_keeps_its_content_length() {
    HttpResponse<String> p = plain.get("/a/writer-ok");
    HttpResponse<String> g = guarded.get("/a/writer-ok");
    assertEquals("hello", g.body());
    assertEquals(p.headers().firstValue("Content-Length"), g.headers().firstValue("Content-Length"),
        "plain " + p.headers().map() + "\nguarded " + g.headers().map());
  }

  @Test
  void a_hapi_read_keeps_its_content_length() {
    HttpResponse<String> p = plain.get("/fhir/Patient/1");
    HttpResponse<String> g = guarded.get("/fhir/Patient/1");
    assertEquals(p.body(), g.body());
    assertEquals(p.headers().firstValue("Content-Length"), g.headers().firstValue("Content-Length"),
        "plain " + p.headers().map() + "\nguarded " + g.headers().map());
  }

  @Test
  void head_on_the_type_path_is_allowed_as_the_405_allow_header_claims() {
    HttpResponse<String> allow = guarded.send("PUT", "/fhir/Patient", "{\"resourceType\":\"Patient\"}",
        "Content-Type", "application/fhir+json");
    HttpResponse<String> head = guarded.send("HEAD", "/fhir/Patient", null);
    HttpResponse<String> headPlain = plain.send("HEAD", "/fhir/Patient", null);
    assertTrue(head.statusCode() < 400 || !String.join(",", allow.headers().allValues("Allow")).contains("HEAD"),
        "Allow: " + allow.headers().allValues("Allow") + " but HEAD /fhir/Patient -> " + head.statusCode()
            + " (without fhirguard " + headPlain.statusCode() + ")");
  }
}
