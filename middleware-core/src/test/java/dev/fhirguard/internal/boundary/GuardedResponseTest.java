package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.outcome.HapiOutcomes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.testing.ErrorHandlers;
import dev.fhirguard.testing.IsolatedSettings;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * GuardedResponse's decision machine, directly, on a fake container response: a body is passed
 * through (PASS), held back while it may still be replaced (BUFFER), or dropped because the
 * answer is already decided (DONE); {@code reset()} makes it undecided again. The HTTP tests
 * (ErrorBoundaryTest, ApplicationErrorResponseTest) cover the same through real Jetty.
 */
class GuardedResponseTest {

  private static final String OUTCOME_JSON =
      "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
          + "\"code\":\"invalid\",\"diagnostics\":\"the application's own words\"}]}";

  private final ResolvedSettings settings = IsolatedSettings.of(Map.of());
  private final FakeResponse container = new FakeResponse();
  private final GuardedResponse guarded = guard(container, "request-1", Map.of());

  /** As the error boundary makes it: the request already carries its identity. */
  private GuardedResponse guard(FakeResponse response, String requestId, Map<String, ?> more) {
    RequestIdentity identity = new RequestIdentity(requestId, null);
    Map<String, Object> attributes = new HashMap<>(more);
    attributes.put(RequestIdentity.ATTRIBUTE, identity);
    ErrorHandler errors = ErrorHandlers.of(settings);
    return new GuardedResponse(request(attributes), response.proxy(), errors, identity);
  }

  private static HttpServletRequest request(Map<String, Object> attributes) {
    return (HttpServletRequest) Proxy.newProxyInstance(GuardedResponseTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (
            method.getName()) {
          case "getMethod" -> "GET";
          case "getRequestURI" -> "/app/thing";
          case "getAttribute" -> attributes.get((String) args[0]);
          case "setAttribute" -> attributes.put((String) args[0], args[1]);
          case "getHeader", "getQueryString", "getContentType" -> null;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private void write(String text) throws IOException {
    PrintWriter writer = guarded.getWriter();
    writer.write(text);
    writer.flush();
  }

  @Test
  void a_success_body_passes_through_as_it_is_written() throws IOException {
    guarded.setStatus(200);
    guarded.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
    assertEquals("hello", container.body());
    guarded.finish();
    assertEquals(200, container.status);
    assertEquals("hello", container.body());
  }

  @Test
  void an_error_body_that_is_not_fhir_is_held_back_and_replaced_by_an_outcome()
      throws IOException {
    guarded.setStatus(500);
    guarded.setContentType("text/html");
    write("<h1>SQLException at db-7.internal</h1>");
    assertEquals("", container.body(), "nothing of an error body goes out before finish");
    guarded.finish();
    assertEquals(500, container.status);
    assertTrue(container.body().contains("\"resourceType\":\"OperationOutcome\""),
        container.body());
    assertFalse(container.body().contains("SQLException"), container.body());
    assertEquals("request-1", container.header("X-Request-ID"));
  }

  @Test
  void a_held_error_body_is_released_as_written_when_the_status_becomes_a_success()
      throws IOException {
    guarded.setStatus(404);
    write("not found, ");
    assertEquals("", container.body());
    guarded.setStatus(200);
    write("found after all");
    guarded.finish();
    assertEquals(200, container.status);
    assertEquals("not found, found after all", container.body());
  }

  @Test
  void a_client_error_fhir_body_passes_through_unbuffered() throws IOException {
    guarded.setStatus(422);
    guarded.setContentType("application/fhir+json");
    write(OUTCOME_JSON);
    assertEquals(OUTCOME_JSON, container.body());
    guarded.finish();
    assertEquals(OUTCOME_JSON, container.body());
  }

  @Test
  void a_client_error_outcome_labelled_plain_json_is_checked_then_sent_as_written()
      throws IOException {
    guarded.setStatus(400);
    guarded.setContentType("application/json");
    write(OUTCOME_JSON);
    assertEquals("", container.body());
    guarded.finish();
    assertEquals(OUTCOME_JSON, container.body());
  }

  @Test
  void an_error_body_past_the_buffer_bound_is_replaced_even_when_it_is_an_outcome()
      throws IOException {
    guarded.setStatus(400);
    guarded.setContentType("application/json");
    write(OUTCOME_JSON + " ".repeat(300 * 1024));
    guarded.finish();
    assertEquals(400, container.status);
    assertTrue(container.body().contains("OperationOutcome"), container.body());
    assertFalse(container.body().contains("the application's own words"), container.body());
    assertTrue(container.body().length() < 64 * 1024);
  }

  @Test
  void a_server_error_fhir_body_is_replaced_unless_fhirguard_marked_it_safe() throws IOException {
    guarded.setStatus(500);
    guarded.setContentType("application/fhir+json");
    write(OUTCOME_JSON);
    guarded.finish();
    assertFalse(container.body().contains("the application's own words"), container.body());

    FakeResponse safeContainer = new FakeResponse();
    GuardedResponse safe =
        guard(safeContainer, "request-2", Map.of(HapiOutcomes.SAFE_OUTCOME_ATTRIBUTE, true));
    safe.setStatus(500);
    safe.setContentType("application/fhir+json");
    safe.getOutputStream().write(OUTCOME_JSON.getBytes(StandardCharsets.UTF_8));
    safe.finish();
    assertEquals(OUTCOME_JSON, safeContainer.body());
  }

  @Test
  void an_error_status_without_a_body_becomes_an_outcome_at_finish() throws IOException {
    guarded.setStatus(503);
    guarded.finish();
    assertEquals(503, container.status);
    assertTrue(container.body().contains("OperationOutcome"), container.body());
  }

  @Test
  void send_error_decides_the_answer_and_later_writes_are_dropped() throws IOException {
    guarded.sendError(404, "no such thing");
    String outcome = container.body();
    assertEquals(404, container.status);
    assertTrue(outcome.contains("OperationOutcome"), outcome);
    guarded.getOutputStream().write("late".getBytes(StandardCharsets.UTF_8));
    guarded.finish();
    assertEquals(outcome, container.body());
  }

  @Test
  void send_error_with_a_status_below_400_sets_the_status_alone() throws IOException {
    guarded.sendError(302);
    guarded.finish();
    assertEquals(302, container.status);
    assertEquals("", container.body());
  }

  @Test
  void send_error_after_commit_is_refused() throws IOException {
    guarded.setStatus(200);
    guarded.flushBuffer();
    assertTrue(container.committed);
    assertThrows(IllegalStateException.class, () -> guarded.sendError(500));
  }

  @Test
  void reset_makes_the_response_undecided_again_and_keeps_the_request_id() throws IOException {
    guarded.setStatus(500);
    guarded.getOutputStream().write("half an error".getBytes(StandardCharsets.UTF_8));
    guarded.reset();
    assertEquals("request-1", container.header("X-Request-ID"));
    guarded.setStatus(200);
    write("a fresh start"); // the writer: reset() also forgot the choice of the stream
    guarded.finish();
    assertEquals(200, container.status);
    assertEquals("a fresh start", container.body());
  }

  @Test
  void the_stream_and_the_writer_exclude_each_other() throws IOException {
    guarded.getOutputStream();
    assertThrows(IllegalStateException.class, guarded::getWriter);
    guarded.reset();
    guarded.getWriter();
    assertThrows(IllegalStateException.class, guarded::getOutputStream);
  }

  @Test
  void a_write_listener_passes_the_body_through_whatever_the_status() throws IOException {
    guarded.setStatus(500);
    guarded.getOutputStream().setWriteListener(new WriteListener() {
      @Override
      public void onWritePossible() {}

      @Override
      public void onError(Throwable t) {}
    });
    guarded.getOutputStream().write("streamed".getBytes(StandardCharsets.UTF_8));
    assertEquals("streamed", container.body());
  }

  @Test
  void a_committed_response_is_abandoned_once_and_then_takes_no_more_writes_or_resets()
      throws IOException {
    guarded.setStatus(200);
    guarded.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
    guarded.flushBuffer();
    GuardedResponse.abandonIfCommitted(guarded);
    guarded.getOutputStream().write(" and an outcome".getBytes(StandardCharsets.UTF_8));
    guarded.reset();
    guarded.finish();
    assertEquals("partial", container.body());
    assertTrue(guarded.takeAbort());
    assertFalse(guarded.takeAbort());
  }

  @Test
  void an_uncommitted_response_is_not_abandoned() {
    GuardedResponse.abandonIfCommitted(guarded);
    assertFalse(guarded.takeAbort());
  }

  @Test
  void the_request_id_header_belongs_to_fhirguard() {
    container.headers.put("X-Request-ID", new ArrayList<>(List.of("request-1")));
    guarded.setHeader("X-Request-ID", "forged");
    guarded.addHeader("X-Request-ID", "forged");
    assertEquals(List.of("request-1"), container.headers.get("X-Request-ID"));
  }

  /** A container response: status, headers, a body and a committed flag, nothing else. */
  static final class FakeResponse {
    int status = 200;
    boolean committed;
    String contentType;
    String encoding = "ISO-8859-1";
    final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ServletOutputStream stream;
    private PrintWriter writer;

    String body() {
      if (writer != null) {
        writer.flush();
      }
      return body.toString(StandardCharsets.UTF_8);
    }

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    HttpServletResponse proxy() {
      return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
            switch (method.getName()) {
              case "getStatus": return status;
              case "setStatus": status = (int) args[0]; return null;
              case "isCommitted": return committed;
              case "flushBuffer": committed = true; return null;
              case "getContentType": return contentType;
              case "setContentType": contentType = (String) args[0]; return null;
              case "getCharacterEncoding": return encoding;
              case "setCharacterEncoding": encoding = (String) args[0]; return null;
              case "setContentLength", "setContentLengthLong", "setBufferSize": return null;
              case "getHeader": return header((String) args[0]);
              case "getHeaders": return headers.getOrDefault((String) args[0], List.of());
              case "getHeaderNames": return headers.keySet();
              case "containsHeader": return headers.containsKey((String) args[0]);
              case "setHeader":
                if (args[1] == null) {
                  headers.remove((String) args[0]);
                } else {
                  headers.put((String) args[0], new ArrayList<>(List.of((String) args[1])));
                }
                return null;
              case "addHeader":
                headers.computeIfAbsent((String) args[0], k -> new ArrayList<>())
                    .add((String) args[1]);
                return null;
              case "resetBuffer": resetBuffer(); return null;
              case "reset":
                resetBuffer();
                status = 200;
                headers.clear();
                contentType = null;
                stream = null;
                writer = null;
                return null;
              case "getOutputStream": return stream();
              case "getWriter": return writer();
              default: throw new UnsupportedOperationException(method.getName());
            }
          });
    }

    private void resetBuffer() {
      if (committed) {
        throw new IllegalStateException("committed");
      }
      body.reset();
    }

    private ServletOutputStream stream() {
      if (writer != null) {
        throw new IllegalStateException("getWriter() has already been called");
      }
      if (stream == null) {
        stream = new ServletOutputStream() {
          @Override
          public void write(int b) {
            body.write(b);
          }

          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}
        };
      }
      return stream;
    }

    private PrintWriter writer() {
      if (stream != null) {
        throw new IllegalStateException("getOutputStream() has already been called");
      }
      if (writer == null) {
        writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
      }
      return writer;
    }
  }
}
