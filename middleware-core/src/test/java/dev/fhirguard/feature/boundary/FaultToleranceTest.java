package dev.fhirguard.feature.boundary;

import static dev.fhirguard.GuardHooks.requestsInFlight;
import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.AuthAssertions.assertUnavailable;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jose.JWSAlgorithm;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.ApplicationErrorServlet;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.Await;
import dev.fhirguard.testing.BulkDataServlet.Kickoff;
import dev.fhirguard.testing.Completions;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.Tokens;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults around a request, over real HTTP: a HAPI hook that breaks while the outcome is rendered,
 * a client that leaves before the answer or in the middle of it, a failure after the response was
 * committed, a key server that is slow. In each case the server keeps serving, the fault gives
 * exactly the expected log lines under the request's transaction id, and nothing else logs an
 * ERROR or a stack trace. Nothing sleeps: latches hold requests where a test needs them.
 */
class FaultToleranceTest {

  private static final String ERRORS = "dev.fhirguard.errors";

  private final TestClock clock = TestClock.atNow();
  private final ExecutorService clients = Executors.newCachedThreadPool();
  private final LateFailure lateFailure = new LateFailure();
  private JwksServer jwks;
  private FhirGuard guard;
  private Completions completions;
  private TestServer server;

  @AfterEach
  void stop() {
    lateFailure.gate.countDown();
    clients.shutdownNow();
    if (server != null) {
      server.close();
    }
    if (jwks != null) {
      jwks.close();
    }
  }

  private void start(Map<String, String> settings) {
    guard = withClock(FhirGuard.builder().config(FhirGuardConfig.load(settings)), clock).build();
    TestFhirServer hooked = new TestFhirServer();
    hooked.registerInterceptor(guard.interceptor());
    hooked.registerInterceptor(new BrokenOutcomeHook());
    server = TestServer.builder().guard(guard).fhir("/fhir/*", new TestFhirServer())
        .servlet("/hooked/*", hooked).fhir("/rfhir/*", new ApplicationErrorServlet.Fhir())
        .servlet("/plain/*", new PlainServlet()).servlet("/big", new BigServlet())
        .servlet("/late", lateFailure).completions().start();
    completions = server.completions();
  }

  /** The lines logged under transaction id {@code id}. */
  private static List<ILoggingEvent> linesOf(LogCapture logs, String id) {
    return logs.events().stream()
        .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId")))
        .collect(Collectors.toList());
  }

  /** The lines of fhirguard's error log under {@code id}, as "LEVEL message". */
  private static List<String> errorLog(LogCapture logs, String id) {
    return linesOf(logs, id).stream()
        .filter(e -> e.getLoggerName().equals(ERRORS))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .collect(Collectors.toList());
  }

  /** No line at WARN or above, and no stack trace, other than fhirguard's {@code allowed}. */
  private static void assertNothingElseLogged(LogCapture logs, List<String> allowed) {
    List<String> others = logs.events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
        .filter(e -> !(e.getLoggerName().equals(ERRORS)
            && allowed.contains(e.getLevel() + " " + e.getFormattedMessage())))
        .map(LogCapture::render)
        .collect(Collectors.toList());
    assertEquals(List.of(), others, "unexpected WARN/ERROR lines or stack traces");
  }

  private void assertStillServing() {
    assertEquals(200, server.get("/fhir/Patient/1").statusCode());
    assertEquals("ok", server.get("/plain/ok").body());
    assertError(server.get("/fhir/Patient/999"), 404, "RESOURCE_NOT_FOUND");
  }

  // ---- an error while the outcome is rendered

  /** An application's HAPI hook that breaks while HAPI builds an error outcome. */
  public static final class BrokenOutcomeHook {
    @Hook(Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME)
    public void breakTheOutcome() {
      throw new IllegalStateException("outcome hook broke: " + PlainServlet.SECRET_SQL);
    }
  }

  @Test
  void a_hook_that_breaks_while_hapi_renders_the_outcome_still_leaves_a_safe_500_in_the_negotiated_format() {
    start(Map.of());
    for (Ask ask : List.of(Ask.DEFAULT, Ask.FORMAT_XML, Ask.ACCEPT_XML)) {
      try (LogCapture logs = new LogCapture()) {
        String path = ask.on("/hooked/Patient/999");
        completions.clear();
        HttpResponse<String> response = server.get(path, ask.headers);
        completions.await("GET", path);

        OperationOutcome outcome = assertError(response, 500, "INTERNAL_ERROR", ask.xml);
        String id = requestId(response);
        assertEquals("An unexpected error occurred. Transaction id: " + id, diagnostics(outcome));
        assertFalse(response.body().contains("ssn"), response.body());
        List<String> expected = List.of(
            "INFO GET Patient/999 answered 404 RESOURCE_NOT_FOUND: HAPI-0971: Resource Patient/999"
                + " is not known",
            "ERROR GET /hooked/Patient/999 failed; answered 500 INTERNAL_ERROR");
        assertEquals(expected, errorLog(logs, id));
        ILoggingEvent error = linesOf(logs, id).stream()
            .filter(e -> e.getLevel() == Level.ERROR && e.getLoggerName().equals(ERRORS))
            .findFirst().orElseThrow();
        assertTrue(LogCapture.render(error).contains("outcome hook broke"),
            () -> "the hook's failure is the operator's information: " + LogCapture.render(error));
        assertTrue(logs.events().stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .allMatch(e -> id.equals(e.getMDCPropertyMap().get("requestId"))),
            () -> "every ERROR line (HAPI's own too) carries the transaction id:\n"
                + LogCapture.render(logs.at(Level.ERROR)));
      }
    }
    assertEquals(200, server.get("/hooked/Patient/1").statusCode());
    assertStillServing();
  }

  // ---- clients that leave

  /** Holds {@code /late} until the test lets it go, then fails with an exception. */
  static final class LateFailure extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient CountDownLatch entered = new CountDownLatch(1);
    final transient CountDownLatch gate = new CountDownLatch(1);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      entered.countDown();
      try {
        assertTrue(gate.await(30, TimeUnit.SECONDS), "the test never let the request go");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(PlainServlet.SECRET_SQL);
    }
  }

  /** Writes 1 MiB chunks, flushed, until the client is gone (at most 1 GiB). */
  static final class BigServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("application/octet-stream");
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'x');
      OutputStream out = response.getOutputStream();
      for (int i = 0; i < 1024; i++) {
        out.write(chunk);
        out.flush();
      }
    }
  }

  @Test
  void a_client_that_leaves_in_the_middle_of_a_big_response_costs_no_error_line() throws Exception {
    start(Map.of("fhirguard.overload.max-in-flight", "4"));
    try (LogCapture logs = new LogCapture()) {
      String id;
      try (Socket socket = connect()) {
        send(socket, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        String head = readHead(socket.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        id = header(head, "X-Request-ID");
        assertTrue(socket.getInputStream().readNBytes(64).length == 64, "the body had begun");
      } // the client closes with most of the body unread
      completions.await("GET", "/big");

      assertEquals(List.of(), errorLog(logs, id), "a client that leaves is not an error");
      assertNothingElseLogged(logs, List.of());
    }
    assertEquals(0, requestsInFlight(guard));
    assertStillServing();
  }

  @Test
  void a_client_that_left_before_the_application_failed_gets_nothing_and_the_failure_is_logged_once()
      throws Exception {
    start(Map.of("fhirguard.overload.max-in-flight", "4"));
    try (LogCapture logs = new LogCapture()) {
      try (Socket socket = connect()) {
        send(socket, "GET /late HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: left-early-1\r\n\r\n");
        assertTrue(lateFailure.entered.await(20, TimeUnit.SECONDS));
      }
      lateFailure.gate.countDown(); // the application now fails and fhirguard answers no one
      completions.await("GET", "/late");

      List<String> expected = List.of("ERROR GET /late failed; answered 500 INTERNAL_ERROR");
      assertEquals(expected, errorLog(logs, "left-early-1"));
      assertNothingElseLogged(logs, expected);
    }
    assertEquals(0, requestsInFlight(guard));
    assertStillServing();
  }

  @Test
  void a_kickoff_whose_client_left_before_the_answer_keeps_its_slot_only_until_the_job_ttl()
      throws Exception {
    try (LimitServer limits = LimitServer.withClients("fhirguard.overload.max-in-flight", "10",
        "fhirguard.export.job-ttl", "10m");
        LogCapture logs = new LogCapture()) {
      limits.bulk.kickoff(Kickoff.HOLD);
      server = limits.server;
      try (Socket socket = connect()) {
        send(socket, "GET /bulk/$export HTTP/1.1\r\nHost: 127.0.0.1\r\nPrefer: respond-async\r\n"
            + "Authorization: Bearer " + LimitServer.token("exporter") + "\r\n\r\n");
        limits.bulk.awaitHeld();
      }
      limits.bulk.releaseHeld(); // the application starts the job and answers no one
      Await.until(() -> requestsInFlight(limits.server.guard()) == 0,
          () -> "slots were never given back");
      limits.bulk.kickoff(Kickoff.ACCEPT);

      // The job runs (the application started it): its slot is taken until polled to the end
      // or, as nobody can poll it, until the job TTL.
      assertError(limits.get("exporter", "/bulk/$export", "Prefer", "respond-async"), 429,
          "EXPORT_LIMIT_REACHED");
      limits.advance(Duration.ofMinutes(10).plusSeconds(1));
      assertEquals(202,
          limits.get("exporter", "/bulk/$export", "Prefer", "respond-async").statusCode());
      assertNothingElseLogged(logs, List.of());
    } finally {
      server = null; // closed with the limit server
    }
  }

  // ---- a committed response

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/plain/commit-then-throw | /plain/commit-then-throw | partial",
      "/rfhir/$partial          | $partial                 | Bundle"})
  void a_failure_after_commit_aborts_the_connection_so_the_client_cannot_take_the_partial_body_as_whole(
      
      String path, String logged, String partialBody) throws Exception {
    start(Map.of());
    try (LogCapture logs = new LogCapture()) {
      String id;
      byte[] rest;
      try (Socket socket = connect()) {
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertEquals("chunked", header(head, "Transfer-Encoding"));
        id = header(head, "X-Request-ID");
        rest = readUntilEndOrLastChunk(in);
      }
      completions.await("GET", path);

      String body = new String(rest, StandardCharsets.ISO_8859_1);
      assertTrue(body.contains(partialBody), body);
      assertFalse(body.endsWith("0\r\n\r\n"),
          () -> "the response was ended as if complete: " + body.replace("\r\n", "\\r\\n"));
      List<String> expected = List.of("ERROR GET " + logged + " failed after the response was"
          + " committed; the client got a partial response");
      assertEquals(expected, errorLog(logs, id));
      assertNothingElseLogged(logs, expected);
    }
    assertStillServing();
  }

  // ---- a slow key server

  private Map<String, String> jwksSettings(String timeout) {
    jwks = JwksServer.start(Tokens.sharedPublicSet());
    Map<String, String> settings = jwks.authSettings();
    settings.put("fhirguard.auth.http-timeout", timeout);
    return settings;
  }

  private String knownKeyToken() {
    return Tokens.rs256(Tokens.claims(clock).build());
  }

  private String unknownKeyToken() {
    return Tokens.sign(Tokens.rsa("rotated"), JWSAlgorithm.RS256, Tokens.claims(clock).build());
  }

  private HttpResponse<String> call(String token) {
    return server.get("/fhir/Patient/1", "Authorization", "Bearer " + token);
  }

  @Test
  void a_key_server_slower_than_the_http_timeout_costs_a_503_with_retry_after_before_it_answers() {
    start(jwksSettings("300ms"));
    assertEquals(200, call(knownKeyToken()).statusCode());
    jwks.hold();
    clock.advance(Duration.ofSeconds(31)); // past the refetch interval: a new kid is fetched
    try (LogCapture logs = new LogCapture()) {
      completions.clear();
      HttpResponse<String> refused = call(unknownKeyToken());
      completions.await("GET", "/fhir/Patient/1");

      assertTrue(jwks.holding(), "answered while the key server still held the fetch");
      assertUnavailable(refused, String.valueOf(jwks.port()));
      assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow());
      String id = requestId(refused);
      List<String> expected = List.of("WARN GET /fhir/Patient/1 answered 503"
          + " TOKEN_VERIFICATION_UNAVAILABLE: The keys of the authorization server could not be"
          + " fetched to verify the token. Retry later.");
      assertEquals(expected, errorLog(logs, id));
      List<ILoggingEvent> fetch = linesOf(logs, id).stream()
          .filter(e -> !e.getLoggerName().equals(ERRORS)).collect(Collectors.toList());
      assertEquals(1, fetch.size(), () -> LogCapture.render(fetch));
      assertTrue(fetch.get(0).getFormattedMessage().startsWith("The JWKS at " + jwks.url()
          + " could not be fetched; asked again in 30s"), fetch.get(0).getFormattedMessage());
      assertEquals(Level.WARN, fetch.get(0).getLevel());
      List<String> allowed = List.of(expected.get(0));
      List<String> others = logs.events().stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
          .filter(e -> e != fetch.get(0))
          .filter(e -> !allowed.contains(e.getLevel() + " " + e.getFormattedMessage()))
          .map(LogCapture::render).collect(Collectors.toList());
      assertEquals(List.of(), others);
    }
    jwks.release();
    assertEquals(200, call(knownKeyToken()).statusCode(), "keys already fetched still verify");
    clock.advance(Duration.ofSeconds(31));
    assertEquals(401, call(unknownKeyToken()).statusCode(), "asked again: the kid is unknown");
    assertEquals(200, server.get("/fhir/metadata").statusCode());
  }

  @Test
  void while_a_key_fetch_hangs_cached_tokens_known_keys_and_public_paths_are_answered()
      throws Exception {
    start(jwksSettings("30s"));
    String cached = knownKeyToken();
    assertEquals(200, call(cached).statusCode());
    jwks.hold();
    clock.advance(Duration.ofSeconds(31));
    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(() -> call(unknownKeyToken()), clients);
    jwks.awaitHeld();

    assertEquals(200, call(cached).statusCode(), "a cached token");
    assertEquals(200, call(knownKeyToken()).statusCode(), "a new token of a key already fetched");
    assertEquals(200, server.get("/fhir/metadata").statusCode(), "a public path");
    assertEquals(401, call("not-a-jwt").statusCode(), "a malformed token needs no key");
    assertFalse(waiting.isDone(), "the request that needs the key server is still waiting");

    jwks.release();
    HttpResponse<String> answered = waiting.get(20, TimeUnit.SECONDS);
    assertEquals(401, answered.statusCode(), answered::body); // the fetched set lacks its kid
    assertNotNull(requestId(answered));
  }

  // ---- raw sockets

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static void send(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Status line and headers, up to the blank line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed inside the head: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in " + head);
  }

  /** The rest of a chunked body: until the connection ends or the last chunk has come. */
  private static byte[] readUntilEndOrLastChunk(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        body.write(b);
        if (body.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException ended) {
      // a reset connection is an ended one
    }
    return body.toByteArray();
  }
}
