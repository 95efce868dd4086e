package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.contentType;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.testing.ApplicationErrorServlet;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the error boundary makes of what the application wrote: async errors, 5xx bodies claiming
 * to be FHIR, regex stack overflows, {@code reset()}, committed HAPI responses, {@code POST
 * _search}, malformed form bodies, application exception translators, internal hosts in 4xx
 * messages, log forging through exception messages and status edge cases.
 */
class ApplicationErrorResponseTest {

  private static final long LOG_WAIT_MILLIS = 5_000;

  /** The standard HAPI server at {@code /fhir/*}. */
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  /**
   * {@link ApplicationErrorServlet} at {@code /r/*} (async supported), its HAPI server at {@code
   * /rfhir/*} with fhirguard's interceptor registered first and the application's exception
   * translator after it, and a listener logging the end of every request.
   */
  @RegisterExtension
  static final TestServer app = TestServer.builder()
      .servlet("/rfhir/*", guard -> {
        ApplicationErrorServlet.Fhir fhir = new ApplicationErrorServlet.Fhir();
        fhir.registerInterceptor(guard.interceptor());
        fhir.registerInterceptor(new ApplicationErrorServlet.UpstreamTimeoutTranslator());
        return fhir;
      })
      .asyncServlet("/r/*", new ApplicationErrorServlet())
      .context(context -> context.addEventListener(new ApplicationErrorServlet.Completions()))
      .perClass();

  // ---- helpers

  /** A fhirguard server error: the generic catalog text with the transaction id, no secret. */
  private static OperationOutcome assertGenericServerError(
      HttpResponse<String> response, int status, String code) {
    OperationOutcome outcome = assertError(response, status, code);
    assertEquals(ErrorCode.valueOf(code).defaultText() + " Transaction id: " + requestId(response),
        diagnostics(outcome));
    assertNoSecret(response);
    return outcome;
  }

  private static void assertNoSecret(HttpResponse<String> response) {
    String body = response.body().toLowerCase(Locale.ROOT);
    assertFalse(body.contains("ssn") || body.contains("select"),
        () -> "SQL reached the client: " + response.body());
  }

  /** The first captured event matching {@code match}; polls, as a server may log after answering. */
  private static ILoggingEvent await(LogCapture logs, String what, Predicate<ILoggingEvent> match) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOG_WAIT_MILLIS);
    while (true) {
      for (ILoggingEvent event : logs.events()) {
        if (match.test(event)) {
          return event;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("no log event " + what + " among:\n" + String.join("\n", logs.lines()));
      }
      try { // polling for the event to arrive, not a timing assertion
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Waits until the app server is done with the request: everything it logs is logged. */
  private static void awaitCompleted(LogCapture logs, String method, String path) {
    String line = "completed " + method + " " + path;
    await(logs, "'" + line + "'", event -> event.getFormattedMessage().equals(line));
  }

  private static Predicate<ILoggingEvent> forRequest(String id) {
    return event -> id.equals(event.getMDCPropertyMap().get("requestId"));
  }

  private static void assertNoLineBreak(String what, String text) {
    assertFalse(text != null && (text.contains("\r") || text.contains("\n")),
        () -> what + " has a line break: " + text.replace("\r", "\\r").replace("\n", "\\n"));
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // ---- 1. async

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/r/async-html/500", "/r/async-noargs-html/500"})
  void an_async_html_error_page_with_sql_becomes_the_generic_outcome_with_the_transaction_id(
      String path) {
    HttpResponse<String> response = app.get(path);
    assertGenericServerError(response, 500, "INTERNAL_ERROR");
    assertFalse(response.body().contains("<html"), response.body());
  }

  @Test
  void an_async_error_status_completed_without_a_body_becomes_an_outcome() {
    assertGenericServerError(app.get("/r/async-status/503"), 503, "SERVICE_UNAVAILABLE");
  }

  @Test
  void a_line_logged_by_work_started_with_async_context_start_carries_the_transaction_id() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = app.get("/r/async-log");
      assertEquals(200, response.statusCode(), response::body);
      assertEquals("done", response.body());
      ILoggingEvent line = await(logs, "'" + ApplicationErrorServlet.ASYNC_LINE + "'",
          event -> ApplicationErrorServlet.ASYNC_LINE.equals(event.getFormattedMessage()));
      assertEquals(requestId(response), line.getMDCPropertyMap().get("requestId"),
          () -> "MDC of the async line: " + line.getMDCPropertyMap());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/r/async-dispatch/404", "/r/async-dispatch-wrapped/404"})
  void an_async_dispatch_to_a_servlet_that_sets_404_gets_one_outcome_with_one_request_id(
      String path) {
    HttpResponse<String> response = app.get(path);
    assertError(response, 404, "NOT_FOUND"); // also asserts exactly one X-Request-ID
    assertEquals(1, response.headers().allValues("X-Request-ID").size(),
        () -> response.headers().map().toString());
  }

  // ---- 2. 5xx bodies that claim to be outcomes

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/r/fhir-oo/500", "/r/json-oo/500"})
  void a_server_error_outcome_written_by_the_application_is_replaced_by_the_generic_one(
      String path) {
    HttpResponse<String> response = app.get(path);
    assertGenericServerError(response, 500, "INTERNAL_ERROR");
  }

  @Test
  void a_client_error_fhir_outcome_written_by_the_application_still_passes_through_unchanged() {
    HttpResponse<String> response = app.get("/r/fhir-oo/422");
    assertEquals(422, response.statusCode(), response::body);
    assertEquals(ApplicationErrorServlet.CLIENT_OUTCOME, response.body());
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    assertFalse(requestId(response).isBlank());
  }

  // ---- 3. linear sanitizing, end to end

  @Test
  void a_search_parameter_named_by_a_long_dotted_chain_is_an_invalid_search_parameter_not_a_500() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = server.get("/fhir/Patient?org" + ".a".repeat(2000) + "=1");
      assertError(response, 400, "INVALID_SEARCH_PARAMETER");
      String id = requestId(response);
      await(logs, "fhirguard's line for " + id,
          forRequest(id).and(event -> "dev.fhirguard.errors".equals(event.getLoggerName())));
      String all = LogCapture.render(logs.events());
      assertFalse(all.contains("StackOverflowError"), all);
      assertFalse(all.contains("HAPI-2544"), all);
    }
  }

  @ParameterizedTest(name = "message of {0} characters")
  @ValueSource(ints = {1999, 5000})
  void a_gateway_401_with_a_long_json_message_is_a_401_outcome_not_a_500(int length) {
    HttpResponse<String> response = app.get("/r/long-json/401?length=" + length);
    OperationOutcome outcome = assertError(response, 401, "AUTHENTICATION_REQUIRED");
    String shown = diagnostics(outcome);
    assertTrue(shown.length() <= 300, () -> shown.length() + ": " + shown);
  }

  // ---- 4. reset()

  @Test
  void a_hapi_operation_that_streamed_and_then_fails_with_a_client_error_answers_400_not_500() {
    HttpResponse<String> response = app.get("/rfhir/$stream-then-400");
    OperationOutcome outcome = assertError(response, 400, "INVALID_REQUEST");
    assertTrue(diagnostics(outcome).contains("Range header is not valid"), diagnostics(outcome));
    assertFalse(response.body().contains("partial binary"), response.body());
  }

  @Test
  void a_servlet_that_streamed_may_reset_and_then_answer_200_with_the_writer() {
    HttpResponse<String> response = app.get("/r/stream-reset-writer?text=" + encoded("fresh start"));
    assertEquals(200, response.statusCode(), response::body);
    assertEquals("fresh start", response.body());
    assertTrue(contentType(response).startsWith("text/plain"), contentType(response));
  }

  // ---- 5. committed HAPI responses

  @Test
  void a_hapi_response_committed_before_the_failure_keeps_exactly_its_partial_body_and_logs_one_error() {
    try (LogCapture logs = new LogCapture()) {
      // The connection is aborted after the partial body (FaultToleranceTest); with
      // Connection: close the body is what came before the end.
      RawHttp.Response response = app.rawGet("/rfhir/$partial");
      awaitCompleted(logs, "GET", "/rfhir/$partial");
      assertEquals(200, response.status());
      assertEquals(ApplicationErrorServlet.PARTIAL_BUNDLE, response.body(), "no outcome appended");
      List<ILoggingEvent> errors = logs.at(Level.ERROR);
      assertEquals(1, errors.size(), () -> "ERROR lines:\n" + LogCapture.render(errors));
      assertTrue(errors.get(0).getFormattedMessage()
              .contains("failed after the response was committed"),
          errors.get(0).getFormattedMessage());
      assertEquals(response.header("X-Request-ID"),
          errors.get(0).getMDCPropertyMap().get("requestId"));
    }
  }

  // ---- 6. POST _search

  @Test
  void a_post_search_with_an_unknown_form_parameter_is_an_invalid_search_parameter_not_a_405() {
    HttpResponse<String> response = server.send("POST", "/fhir/Patient/_search", "unknownparam=1",
        "Content-Type", "application/x-www-form-urlencoded");
    assertError(response, 400, "INVALID_SEARCH_PARAMETER");
  }

  // ---- 7. malformed form bodies

  @Test
  void a_malformed_form_body_read_by_a_plain_servlet_is_a_400_outcome_not_a_500() {
    HttpResponse<String> response = app.send("POST", "/r/form", "a=%zz",
        "Content-Type", "application/x-www-form-urlencoded");
    assertError(response, 400, "INVALID_REQUEST");
  }

  // ---- 8. application exception translators

  @Test
  void an_application_interceptor_registered_after_fhirguard_still_translates_its_exception_to_504() {
    HttpResponse<String> response = app.get("/rfhir/$upstream-timeout");
    assertGenericServerError(response, 504, "GATEWAY_TIMEOUT");
    assertFalse(response.body().contains("tx.example.org"), response.body());
  }

  // ---- 9. internal hosts in 4xx messages

  @Test
  void a_client_error_message_naming_an_internal_host_and_port_shows_the_catalog_text() {
    HttpResponse<String> response = app.get("/r/send-error-internal-host/400");
    OperationOutcome outcome = assertError(response, 400, "INVALID_REQUEST");
    assertEquals(ErrorCode.INVALID_REQUEST.defaultText(), diagnostics(outcome));
    String body = response.body().replace(outcome.getIdElement().getIdPart(), "<id>");
    assertFalse(body.contains("db-prod-01") || body.contains("5432"), body);
  }

  // ---- 10. log forging through exception messages

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/r/throw-crlf", "/rfhir/$crlf"})
  void an_exception_message_with_cr_lf_is_logged_on_one_line_with_its_class_name(String path) {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = app.get(path);
      assertGenericServerError(response, 500, "INTERNAL_ERROR");
      String id = requestId(response);
      ILoggingEvent error = await(logs, "fhirguard's ERROR line for " + id, forRequest(id)
          .and(event -> event.getLevel() == Level.ERROR && event.getThrowableProxy() != null));
      awaitCompleted(logs, "GET", path);

      String rendered = LogCapture.render(error);
      String afterHeader = rendered.substring(rendered.indexOf('\n') + 1);
      String throwableLine = afterHeader.substring(0, afterHeader.indexOf('\n'));
      assertFalse(throwableLine.contains("\r"), () -> "CR in: " + throwableLine);
      assertTrue(throwableLine.contains("java.lang.IllegalStateException"), throwableLine);
      assertTrue(throwableLine.contains("FAKE ERROR line"), throwableLine);
      // Nothing logged for this request starts a line with the attacker's text.
      for (ILoggingEvent event : logs.events()) {
        assertNoLineBreak("message", event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
          assertNoLineBreak("throwable message", event.getThrowableProxy().getMessage());
        }
        assertTrue(LogCapture.render(event).lines().noneMatch(l -> l.startsWith("FAKE ERROR")),
            () -> "forged line in:\n" + LogCapture.render(event));
      }
    }
  }

  // ---- 11. status edge cases

  @Test
  void an_error_status_taken_back_before_the_end_sends_exactly_the_text_written() {
    String first = "données reçues, ";
    String second = "all fine ✓";
    HttpResponse<String> response = app.get(
        "/r/error-status-then-ok?first=" + encoded(first) + "&second=" + encoded(second));
    assertEquals(200, response.statusCode(), response::body);
    assertEquals(first + second, response.body());
    assertTrue(contentType(response).startsWith("text/plain"), contentType(response));
  }

  @Test
  void a_redirect_after_an_error_status_is_a_plain_302_and_not_logged_as_an_error() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = app.get("/r/redirect-after-status/401");
      awaitCompleted(logs, "GET", "/r/redirect-after-status/401");
      assertEquals(302, response.statusCode(), response::body);
      String location = response.headers().firstValue("Location").orElse("");
      assertTrue(location.endsWith("/x"), () -> "Location: " + location);
      assertFalse(response.body().contains("OperationOutcome"), response.body());
      assertFalse(contentType(response).contains("fhir"), contentType(response));
      requestId(response);
      List<String> answered = logs.events().stream()
          .map(ILoggingEvent::getFormattedMessage)
          .filter(message -> message.contains("answered"))
          .collect(Collectors.toList());
      assertEquals(List.of(), answered);
    }
  }

  @Test
  void send_error_with_a_redirect_status_is_not_turned_into_an_error_outcome() {
    HttpResponse<String> response = app.get("/r/send-error/302");
    assertEquals(302, response.statusCode(), response::body);
    assertFalse(response.body().contains("OperationOutcome"), response.body());
    assertNotNull(requestId(response));
  }
}
