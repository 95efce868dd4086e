package dev.fhirguard.feature.tracking;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.testing.ErrorHandlers;
import dev.fhirguard.testing.IsolatedSettings;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** The transaction id in the MDC of every log line written during a request. */
class MdcLoggingTest {

  private static final String REQUEST_ID = "X-Request-ID";
  private static final String ERRORS_LOGGER = "dev.fhirguard.errors";
  private static final long WAIT_MILLIS = 5_000;

  @RegisterExtension static final TestServer server = TestServer.perClass();
  private LogCapture capture;

  @BeforeEach
  void capture() {
    capture = new LogCapture();
  }

  @AfterEach
  void release() {
    capture.close();
  }

  // ---- helpers

  /**
   * The first captured event matching {@code match}, waiting for it: a server may log after the
   * client already has the response (the failure is logged after the outcome is written).
   */
  private ILoggingEvent await(String what, Predicate<ILoggingEvent> match) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (true) {
      for (ILoggingEvent event : capture.events()) {
        if (match.test(event)) {
          return event;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("no log event " + what + " among:\n" + String.join("\n", capture.lines()));
      }
      try { // polling for the event to arrive, not a timing assertion
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static Predicate<ILoggingEvent> message(String text) {
    return event -> event.getFormattedMessage().contains(text);
  }

  private static Predicate<ILoggingEvent> withRequestId(String key, String id) {
    return event -> id.equals(event.getMDCPropertyMap().get(key));
  }

  private static Predicate<ILoggingEvent> onErrorsLogger() {
    return event -> ERRORS_LOGGER.equals(event.getLoggerName());
  }

  /** Lines of fhirguard itself, not of the test application in {@code dev.fhirguard.testing}. */
  private static boolean writtenByFhirguard(ILoggingEvent event) {
    String logger = event.getLoggerName();
    return logger.startsWith("dev.fhirguard") && !logger.startsWith("dev.fhirguard.testing");
  }

  private static void assertNoLineBreaks(String what, String text) {
    if (text != null) {
      assertFalse(text.contains("\r") || text.contains("\n") || text.contains("\u0085")
              || text.contains("\u2028") || text.contains("\u2029"),
          () -> what + " contains a line break: " + text.replace("\r", "\\r").replace("\n", "\\n"));
    }
  }

  private static void assertPrintableAscii(String what, String text) {
    for (char c : text.toCharArray()) {
      assertTrue(c >= 0x20 && c <= 0x7e,
          () -> what + " has character U+" + Integer.toHexString(c) + ": " + text);
    }
  }

  /** The first line containing {@code text} written while {@code id} was the MDC's requestId. */
  private ILoggingEvent awaitLine(String text, String id) {
    return await("'" + text + "' for " + id, message(text).and(withRequestId("requestId", id)));
  }

  /** The first line of fhirguard's errors logger written while {@code id} was the requestId. */
  private ILoggingEvent awaitErrorLine(String id) {
    return await("fhirguard line for " + id, onErrorsLogger().and(withRequestId("requestId", id)));
  }

  // ---- application log lines

  @Test
  void hapi_provider_log_line_carries_the_client_request_id() {
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, "mdc-hapi-1");
    assertEquals(200, response.statusCode());
    ILoggingEvent event = awaitLine("reading Patient 1", "mdc-hapi-1");
    assertFalse(event.getMDCPropertyMap().containsKey("correlationId"), event.getMDCPropertyMap()::toString);
  }

  @Test
  void hapi_provider_log_line_carries_the_generated_request_id() {
    HttpResponse<String> response = server.get("/fhir/Patient/1");
    String id = requestId(response);
    awaitLine("reading Patient 1", id);
  }

  @Test
  void rejected_client_id_is_the_correlation_id_in_the_mdc() {
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, "mdc rejected 1");
    String id = requestId(response);
    ILoggingEvent event = awaitLine("reading Patient 1", id);
    assertEquals("mdc_rejected_1", event.getMDCPropertyMap().get("correlationId"),
        "the MDC copy has log-field delimiters (here spaces) replaced");
  }

  @Test
  void a_correlation_id_cannot_forge_log_fields_through_the_mdc() {
    String hostile = "x\" level=ERROR|user={admin},z\\";
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, hostile);
    assertEquals(hostile, response.headers().firstValue("X-Correlation-Id").orElse(null),
        "the header echoes the client's own printable value");
    ILoggingEvent event = awaitLine("reading Patient 1", requestId(response));
    assertEquals("x__level_ERROR_user__admin__z_", event.getMDCPropertyMap().get("correlationId"));
  }

  @Test
  void plain_servlet_log_line_carries_the_request_id() {
    HttpResponse<String> response = server.get("/plain/ok", REQUEST_ID, "mdc-plain-1");
    assertEquals(200, response.statusCode());
    awaitLine("plain servlet doing ok", "mdc-plain-1");
  }

  @Test
  void client_error_is_logged_once_at_info_with_the_request_id() {
    HttpResponse<String> response = server.get("/fhir/Patient/999", REQUEST_ID, "mdc-404");
    assertEquals(404, response.statusCode());
    ILoggingEvent event = awaitErrorLine("mdc-404");
    assertEquals(Level.INFO, event.getLevel());
    assertTrue(event.getFormattedMessage().contains("404"), event.getFormattedMessage());
    assertNull(event.getThrowableProxy(), "no stack trace for a client error");
  }

  // ---- exceptions: stack trace in the log, not in the body

  /**
   * Asserts a 500 that echoes {@code clientId} and a fhirguard ERROR line for it with a stack trace;
   * returns the stack trace.
   */
  private String assertLoggedAsServerError(HttpResponse<String> response, String clientId) {
    assertEquals(500, response.statusCode());
    assertEquals(clientId, requestId(response));
    ILoggingEvent event = awaitErrorLine(clientId);
    assertEquals(Level.ERROR, event.getLevel());
    assertNotNull(event.getThrowableProxy(), "the stack trace belongs in the log");
    return ThrowableProxyUtil.asString(event.getThrowableProxy());
  }

  @Test
  void plain_servlet_exception_is_logged_at_error_with_id_and_stack_trace_but_not_in_the_body() {
    HttpResponse<String> response = server.get("/plain/throw", REQUEST_ID, "mdc-throw-1");
    String trace = assertLoggedAsServerError(response, "mdc-throw-1");
    assertTrue(trace.contains(PlainServlet.SECRET_SQL), trace);
    assertTrue(trace.contains("IllegalStateException"), trace);
    assertTrue(trace.contains("PlainServlet.service"), trace);

    String body = response.body();
    assertFalse(body.contains(PlainServlet.SECRET_SQL), body);
    assertFalse(body.contains("IllegalStateException"), body);
    assertFalse(body.contains("PlainServlet"), body);
    assertFalse(body.contains("at dev.") || body.contains("java.lang"), body);
    assertTrue(body.contains("mdc-throw-1"), body);
  }

  @Test
  void hapi_exception_is_logged_at_error_with_id_and_stack_trace_but_not_in_the_body() {
    HttpResponse<String> response = server.get("/fhir/Patient/sql", REQUEST_ID, "mdc-sql-1");
    String trace = assertLoggedAsServerError(response, "mdc-sql-1");
    assertTrue(trace.contains(TestFhirServer.SQL_TEXT), trace);
    assertTrue(trace.contains("PatientProvider.read"), trace);

    String body = response.body();
    assertFalse(body.contains("pk_patient") || body.contains("hfj_resource"), body);
    assertFalse(body.contains("IllegalStateException") || body.contains("PatientProvider"), body);
  }

  @Test
  void each_failure_is_logged_once_by_fhirguard() throws Exception {
    server.get("/fhir/Patient/sql", REQUEST_ID, "mdc-once-hapi");
    server.get("/plain/throw", REQUEST_ID, "mdc-once-plain");
    awaitErrorLine("mdc-once-plain");
    awaitErrorLine("mdc-once-hapi");
    // Both lines exist; a duplicate would be written by the same thread before or right after.
    server.get("/plain/ok", REQUEST_ID, "mdc-once-fence");
    awaitLine("plain servlet doing ok", "mdc-once-fence");
    for (String id : List.of("mdc-once-hapi", "mdc-once-plain")) {
      long count = capture.events().stream()
          .filter(onErrorsLogger().and(withRequestId("requestId", id))).count();
      assertEquals(1, count, () -> id + " logged by fhirguard " + count + " times:\n"
          + String.join("\n", capture.lines()));
    }
  }

  // ---- async timeout

  @Test
  void async_timeout_is_logged_with_the_request_id() {
    HttpResponse<String> response = server.get("/plain/async-timeout", REQUEST_ID, "mdc-async-1");
    assertEquals(503, response.statusCode());
    assertEquals("mdc-async-1", requestId(response));
    ILoggingEvent event = awaitLine("timed out", "mdc-async-1");
    assertEquals(Level.WARN, event.getLevel());
    assertEquals(ERRORS_LOGGER, event.getLoggerName());
  }

  @Test
  void async_timeout_with_rejected_id_logs_the_generated_id_and_the_correlation_id() {
    HttpResponse<String> response = server.get("/plain/async-timeout", REQUEST_ID, "async rejected");
    assertEquals(503, response.statusCode());
    String id = requestId(response);
    ILoggingEvent event = awaitLine("timed out", id);
    assertEquals("async_rejected", event.getMDCPropertyMap().get("correlationId"));
  }

  // ---- configured keys

  @Test
  void same_key_for_request_and_correlation_id_is_rejected_or_still_holds_the_request_id() {
    Map<String, String> sameKey = Map.of(
        "fhirguard.mdc.request-id-key", "txId",
        "fhirguard.mdc.correlation-id-key", "txId");
    TestServer custom;
    try {
      custom = TestServer.start(sameKey);
    } catch (IllegalStateException e) {
      // Rejecting the configuration is a fine answer too.
      assertTrue(e.getCause() instanceof FhirGuardConfigException, e::toString);
      return;
    }
    try (custom) {
      HttpResponse<String> response = custom.get("/plain/ok", REQUEST_ID, "same-key-1");
      assertEquals("same-key-1", requestId(response));
      // The only request of this test: its line is the only plain line captured.
      ILoggingEvent event = await("plain line of same-key-1", message("plain servlet doing ok"));
      assertEquals("same-key-1", event.getMDCPropertyMap().get("txId"),
          () -> "the request id is missing from the MDC: " + LogCapture.render(event));
    }
  }

  @Test
  void mdc_keys_follow_the_settings() {
    try (TestServer custom = TestServer.start(Map.of(
        "fhirguard.mdc.request-id-key", "txId",
        "fhirguard.mdc.correlation-id-key", "corrId"))) {
      HttpResponse<String> accepted = custom.get("/plain/ok", REQUEST_ID, "mdc-custom-1");
      assertEquals(200, accepted.statusCode());
      ILoggingEvent event = await("plain line with txId",
          message("plain servlet doing ok").and(withRequestId("txId", "mdc-custom-1")));
      assertFalse(event.getMDCPropertyMap().containsKey("requestId"), event.getMDCPropertyMap()::toString);

      HttpResponse<String> rejected = custom.get("/fhir/Patient/sql", REQUEST_ID, "custom rejected");
      String id = requestId(rejected);
      ILoggingEvent error = await("fhirguard line with txId",
          onErrorsLogger().and(withRequestId("txId", id)));
      assertEquals("custom_rejected", error.getMDCPropertyMap().get("corrId"));
      assertFalse(error.getMDCPropertyMap().containsKey("correlationId"));
      assertFalse(error.getMDCPropertyMap().containsKey("requestId"));
    }
  }

  // ---- nothing leaks from one request to the next

  @Test
  void mdc_does_not_leak_from_one_request_to_the_next_on_pooled_threads() {
    java.util.Set<String> cleanIds = new java.util.HashSet<>();
    for (int i = 0; i < 15; i++) {
      server.get("/plain/ok", REQUEST_ID, "leaky rejected " + i);
      server.get("/plain/throw", REQUEST_ID, "leaky throw " + i);
      if (i % 5 == 0) {
        server.get("/plain/async-timeout", REQUEST_ID, "leaky async " + i);
      }
      HttpResponse<String> clean = server.get("/plain/ok", REQUEST_ID, "clean-" + i);
      cleanIds.add(requestId(clean));
      cleanIds.add(requestId(server.get("/plain/ok")));
    }
    assertEquals(30, cleanIds.size());
    for (String id : cleanIds) {
      ILoggingEvent event = awaitLine("plain servlet doing ok", id);
      assertNull(event.getMDCPropertyMap().get("correlationId"),
          () -> "stale correlation id in " + LogCapture.render(event));
    }
  }

  @Test
  void concurrent_requests_each_log_their_own_id() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures =
        new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String path = i % 2 == 0 ? "/plain/ok" : "/fhir/Patient/1";
      futures.add(client.sendAsync(HttpRequest.newBuilder(server.uri(path))
              .header(REQUEST_ID, "par-" + i).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 40; i++) {
      assertEquals("par-" + i, requestId(futures.get(i).get(20, TimeUnit.SECONDS)));
    }
    for (int i = 0; i < 40; i++) {
      String id = "par-" + i;
      String text = i % 2 == 0 ? "plain servlet doing ok" : "reading Patient 1";
      awaitLine(text, id);
    }
    for (int i = 0; i < 40; i++) {
      String id = "par-" + i;
      long lines = capture.events().stream()
          .filter(message("plain servlet doing ok").or(message("reading Patient 1")))
          .filter(withRequestId("requestId", id)).count();
      assertEquals(1, lines, () -> id + " is on " + lines + " application lines");
    }
  }

  // ---- restoration of the surrounding MDC

  @Test
  void open_scope_restores_the_previous_mdc_values() {
    RequestTracking tracking = new RequestTracking(IsolatedSettings.of(Map.of()));
    MDC.put("requestId", "outer-request");
    MDC.put("correlationId", "outer-correlation");
    try {
      try (var scope = tracking.open(new RequestIdentity("inner-request", null))) {
        assertEquals("inner-request", MDC.get("requestId"));
        assertNull(MDC.get("correlationId"), "the outer correlation id must not show inside");
      }
      assertEquals("outer-request", MDC.get("requestId"));
      assertEquals("outer-correlation", MDC.get("correlationId"));

      try (var scope = tracking.open(new RequestIdentity("inner-2", "inner correlation"))) {
        assertEquals("inner-2", MDC.get("requestId"));
        assertEquals("inner_correlation", MDC.get("correlationId"));
      }
      assertEquals("outer-request", MDC.get("requestId"));
      assertEquals("outer-correlation", MDC.get("correlationId"));
    } finally {
      MDC.remove("requestId");
      MDC.remove("correlationId");
    }
  }

  @Test
  void open_scope_removes_its_keys_when_there_was_nothing_before() {
    RequestTracking tracking = new RequestTracking(IsolatedSettings.of(Map.of()));
    MDC.remove("requestId");
    MDC.remove("correlationId");
    MDC.put("unrelated", "kept");
    try {
      try (var scope = tracking.open(new RequestIdentity("inner", "corr"))) {
        assertEquals("kept", MDC.get("unrelated"));
      }
      assertNull(MDC.get("requestId"));
      assertNull(MDC.get("correlationId"));
      assertEquals("kept", MDC.get("unrelated"));
    } finally {
      MDC.remove("unrelated");
    }
  }

  @Test
  void nested_scopes_unwind_in_order() {
    RequestTracking tracking = new RequestTracking(IsolatedSettings.of(Map.of()));
    try {
      try (var outer = tracking.open(new RequestIdentity("first", "c1"))) {
        try (var inner = tracking.open(new RequestIdentity("second", null))) {
          assertEquals("second", MDC.get("requestId"));
          assertNull(MDC.get("correlationId"));
        }
        assertEquals("first", MDC.get("requestId"));
        assertEquals("c1", MDC.get("correlationId"));
      }
      assertNull(MDC.get("requestId"));
      assertNull(MDC.get("correlationId"));
    } finally {
      MDC.remove("requestId");
      MDC.remove("correlationId");
    }
  }

  @Test
  void container_error_answer_logs_with_the_id_and_restores_the_mdc() {
    ResolvedSettings settings = IsolatedSettings.of(Map.of());
    ErrorHandler errors = ErrorHandlers.of(settings);
    Map<String, String> headers = Map.of(REQUEST_ID, "container-rid");
    MDC.put("requestId", "caller-rid");
    try {
      ContainerAnswer answer = errors.answer(new ContainerError(false, "GET",
          "/x\r\nFAKE 200 line", null, headers::get, name -> null, 400, "Bad Request", null,
          name -> null));
      assertEquals("container-rid", answer.headers().get(REQUEST_ID));
      assertEquals("caller-rid", MDC.get("requestId"), "MDC of the caller restored");
      assertNull(MDC.get("correlationId"));
      ILoggingEvent event = awaitErrorLine("container-rid");
      assertNoLineBreaks("container log line", event.getFormattedMessage());
    } finally {
      MDC.remove("requestId");
    }
  }

  /** A filter in front of fhirguard that has its own MDC values and records them afterwards. */
  static final class OuterFilter implements Filter {
    static final BlockingQueue<Map<String, String>> AFTER = new LinkedBlockingQueue<>();
    static volatile Map<String, String> before = Map.of();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      before.forEach(MDC::put);
      try {
        chain.doFilter(request, response);
      } finally {
        Map<String, String> after = MDC.getCopyOfContextMap();
        Map<String, String> seen = new HashMap<>(after == null ? Map.of() : after);
        seen.put("path", ((HttpServletRequest) request).getRequestURI());
        AFTER.add(seen);
        if (previous == null) {
          MDC.clear();
        } else {
          MDC.setContextMap(previous);
        }
      }
    }
  }

  private static Map<String, String> afterOuterFilter(String path) throws InterruptedException {
    Map<String, String> after = OuterFilter.AFTER.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    assertNotNull(after, "the outer filter did not finish " + path);
    assertEquals(path, after.remove("path"));
    return after;
  }

  @ParameterizedTest
  @ValueSource(strings = {"/plain/ok", "/plain/throw", "/plain/send-error/409", "/plain/status/500",
      "/plain/html/502", "/nowhere"})
  void mdc_of_the_surrounding_code_is_restored_after_the_request(String path) throws Exception {
    try (TestServer app = TestServer.builder().servlet("/plain/*", new PlainServlet())
        .filterInFront(new OuterFilter()).start()) {
      OuterFilter.AFTER.clear();

      // The surrounding code had both keys: both come back, whatever fhirguard put inside.
      OuterFilter.before = Map.of("requestId", "outer-rid", "correlationId", "outer-cid", "user", "u1");
      HttpResponse<String> rejected = app.get(path, REQUEST_ID, "inner rejected");
      String id = requestId(rejected);
      assertEquals(Map.of("requestId", "outer-rid", "correlationId", "outer-cid", "user", "u1"),
          afterOuterFilter(path));

      // Inside, fhirguard's id replaced the outer one for the application's own lines.
      if (path.startsWith("/plain/")) {
        ILoggingEvent inside = awaitLine("plain servlet doing", id);
        assertEquals("inner_rejected", inside.getMDCPropertyMap().get("correlationId"));
        assertEquals("u1", inside.getMDCPropertyMap().get("user"));
      }

      // The surrounding code had no correlation id: fhirguard's must not be left behind.
      OuterFilter.before = Map.of("requestId", "outer-rid-2");
      app.get(path, REQUEST_ID, "inner rejected 2");
      assertEquals(Map.of("requestId", "outer-rid-2"), afterOuterFilter(path));

      // The surrounding code had nothing: nothing is left behind.
      OuterFilter.before = Map.of();
      app.get(path, REQUEST_ID, "inner-accepted");
      assertEquals(Map.of(), afterOuterFilter(path));
    }
  }

  // ---- no raw CR/LF from hostile input in fhirguard's log lines

  @ParameterizedTest
  @ValueSource(strings = {
      "X-Request-ID: abc\rINJECTED fake line",
      "X-Request-ID: abc\nINJECTED fake line",
      "X-Request-ID: abc\r\n INJECTED folded",
      "X-Request-ID: abc\u0000INJECTED"})
  void hostile_request_id_never_puts_line_breaks_into_log_lines(String headerLine) {
    RawHttp.Response response = server.rawGet("/fhir/Patient/1", headerLine);
    assertEquals(400, response.status(), response::toString);
    String id = response.header(REQUEST_ID);
    ILoggingEvent event = awaitErrorLine(id);
    assertNoLineBreaks("message", event.getFormattedMessage());
    event.getMDCPropertyMap().forEach((k, v) -> assertNoLineBreaks("MDC " + k, v));
    assertFalse(event.getMDCPropertyMap().containsKey("correlationId"), event.getMDCPropertyMap()::toString);
    for (ILoggingEvent any : capture.events()) {
      if (writtenByFhirguard(any)) {
        assertFalse(any.getFormattedMessage().contains("INJECTED"), LogCapture.render(any));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tab\there", "x\u00ffy", "nbsp\u00a0"})
  void unprintable_request_id_never_reaches_the_mdc(String clientId) {
    RawHttp.Response response = server.rawGet("/plain/ok", "X-Request-ID: " + clientId);
    assertEquals(200, response.status(), response::toString);
    String id = response.header(REQUEST_ID);
    ILoggingEvent event = awaitLine("plain servlet doing ok", id);
    assertNull(event.getMDCPropertyMap().get("correlationId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/fhir/Patient/a%E2%80%A8INJECTED",
      "/fhir/Patient/a%C2%85INJECTED",
      "/fhir/Patient/a%E2%80%A9b%C3%A9",
      "/fhir/Patient/%0D%0AINJECTED",
      "/fhir/Patient/a%0AINJECTED",
      "/fhir/Patient/a%09INJECTED",
      "/fhir/%0D%0AINJECTED/1",
      "/fhir/a%E2%80%A8INJECTED/1",
      "/plain/throw/%E2%80%A8INJECTED"})
  void hostile_path_never_puts_line_breaks_into_fhirguard_log_lines(String path) {
    String clientId = "hostile-path-" + Math.abs(path.hashCode());
    RawHttp.Response response = server.rawGet(path, "X-Request-ID: " + clientId);
    assertTrue(response.status() >= 400, response::toString);
    String id = response.header(REQUEST_ID);
    // Every one of these is logged by fhirguard: as a HAPI failure, a plain failure or a
    // container rejection.
    awaitErrorLine(id);
    List<ILoggingEvent> fhirguardLines = capture.events().stream()
        .filter(MdcLoggingTest::writtenByFhirguard)
        .collect(Collectors.toList());
    assertFalse(fhirguardLines.isEmpty());
    for (ILoggingEvent event : fhirguardLines) {
      assertPrintableAscii("fhirguard log line", event.getFormattedMessage());
      event.getMDCPropertyMap().values().forEach(v -> assertPrintableAscii("MDC value", v));
    }
  }
}
