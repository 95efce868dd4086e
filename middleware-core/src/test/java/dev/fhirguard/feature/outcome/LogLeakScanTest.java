package dev.fhirguard.feature.outcome;

import static dev.fhirguard.GuardHooks.withClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.EhrExceptions;
import dev.fhirguard.testing.ExtraServlet;
import dev.fhirguard.testing.HoldingServlet;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.Leaks;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.Tokens;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives every error path over HTTP, fhirguard's own refusals (401 in each variant, 403 scope,
 * 429, 503 maintenance, overload and JWKS down, container and parse-level 4xx) and the
 * application's errors (SQL in exceptions, HAPI errors, upstream 502/503/504), in JSON and XML,
 * with real signed tokens on every request. Scans every body and every captured log line.
 *
 * <p>Bodies: no SQL, class name, stack frame, host or port, and no token. Log lines: never a sent
 * token (whole or its signature) and never a raw control character. Only the one ERROR line of an
 * unexpected exception (a 500 or a failure after commit) carries a stack trace: it is the
 * operator's information (docs/integration.md, Logging). Every fhirguard line about one of its
 * own refusals is free of internals too. Lines that report what the application said (a 4xx
 * message, an upstream's cause chain) quote the application as documented, and are held to the
 * token and control-character rules only.
 */
class LogLeakScanTest {

  /** Whose error it is: a refusal fhirguard makes, or an error the application produced. */
  enum Kind { REFUSAL, APPLICATION }

  /** One exchange and what the server logged under its transaction id. */
  record Exchange(String name, Kind kind, RawHttp.Response response, List<ILoggingEvent> lines) {
    @Override
    public String toString() {
      return name + " -> " + response.status();
    }
  }

  private static final int MAX_IN_FLIGHT = 2;
  private static final TestClock CLOCK = TestClock.atNow();
  private static final Semaphore COMPLETED = new Semaphore(0);
  private static final Set<String> SENT_TOKENS = new LinkedHashSet<>();
  private static final List<Exchange> EXCHANGES = new ArrayList<>();

  private static JwksServer jwks;
  private static FhirGuard guard;
  private static HoldingServlet holding;
  private static TestServer server;
  private static LogCapture logs;
  private static Leaks leaks;
  private static List<ILoggingEvent> allLines;

  @BeforeAll
  static void driveEveryErrorPath() throws Exception {
    jwks = JwksServer.start(Tokens.sharedPublicSet());
    Map<String, String> settings = jwks.authSettings();
    settings.putAll(Map.of(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.clients.flooder.rate-limit.capacity", "1",
        "fhirguard.overload.max-in-flight", String.valueOf(MAX_IN_FLIGHT)));
    guard = withClock(FhirGuard.builder().config(FhirGuardConfig.load(settings)), CLOCK)
        .upstreamFailure(EhrExceptions.EhrDownException.class, ErrorCode.UPSTREAM_UNAVAILABLE)
        .build();
    server = TestServer.builder().guard(guard).fhir("/fhir/*", new TestFhirServer())
        .fhir("/efhir/*", new ExtraServlet.Fhir()).servlet("/plain/*", new PlainServlet())
        .servlet("/extra/*", new ExtraServlet()).servlet("/ehr/*", new FailingUpstreamServlet())
        .context(context -> holding = HoldingServlet.mapAt(context, "/hold/*"))
        .wrap(context -> new EventsHandler(context) {
          @Override
          protected void onComplete(Request request, Throwable failure) {
            COMPLETED.release();
          }
        }).start();
    leaks = new Leaks(forbiddenOfThisRun());
    logs = new LogCapture();
    try {
      drive();
    } finally {
      allLines = logs.events();
      logs.close();
    }
  }

  @AfterAll
  static void stop() {
    if (holding != null) {
      holding.letGo();
    }
    if (server != null) {
      server.close();
    }
    if (jwks != null) {
      jwks.close();
    }
  }

  private static List<String> forbiddenOfThisRun() throws UnknownHostException {
    List<String> more = new ArrayList<>(List.of(":" + server.port(), ":" + jwks.port()));
    String host = InetAddress.getLocalHost().getHostName();
    if (host.length() >= 4 && !host.equalsIgnoreCase("localhost")) {
      more.add(host);
    }
    return more;
  }

  // ---- the error paths

  private static void drive() throws Exception {
    String good = token(claims());
    for (Ask ask : List.of(Ask.DEFAULT, Ask.FORMAT_XML, Ask.ACCEPT_XML)) {
      driveAuthentication(ask, good);
      driveApplicationErrors(ask, good);
    }
    driveParseLevelErrors();
    driveShedding(good);
    driveKeyServerDown();
  }

  private static void driveAuthentication(Ask ask, String good) {
    String patient = ask.on("/fhir/Patient/1");
    Instant now = CLOCK.instant();
    refused("no token", ask, "GET", patient, null);
    refused("basic scheme", ask, "GET", patient, "Basic " + base64("lab-app:secret"));
    refused("empty bearer", ask, "GET", patient, "Bearer ");
    refused("malformed token", ask, "GET", patient, bearer("not-a-jwt.at-all"));
    refused("bad signature", ask, "GET", patient,
        bearer(Tokens.withForeignSignature(token(claims()), token(claims()))));
    refused("expired token", ask, "GET", patient, bearer(token(claims()
        .issueTime(Date.from(now.minus(Duration.ofHours(3))))
        .notBeforeTime(Date.from(now.minus(Duration.ofHours(3))))
        .expirationTime(Date.from(now.minus(Duration.ofHours(2)))))));
    refused("wrong audience", ask, "GET", patient,
        bearer(token(claims().audience(Tokens.OTHER_AUDIENCE))));
    refused("wrong issuer", ask, "GET", patient,
        bearer(token(claims().issuer("https://idp.evil.example.com/realms/x"))));
    refused("unsigned token", ask, "GET", patient, bearer(Tokens.unsigned(claims().build())));
    refused("hmac token", ask, "GET", patient,
        bearer(Tokens.hmac(Tokens.HMAC_SECRET, JWSAlgorithm.HS256, claims().build())));
    refused("unknown key id", ask, "GET", patient, bearer(Tokens.sign(
        Tokens.rsa("stranger-" + ask), JWSAlgorithm.RS256, claims().build())));
    refused("scope for another type", ask, "GET", patient,
        bearer(token(claims().claim("scope", "system/Observation.rs"))));
    String flooder = token(claims().claim("client_id", "flooder"));
    if (ask == Ask.DEFAULT) { // takes the one request of its bucket
      assertEquals(200, server.rawGet("/plain/ok", "Authorization: " + bearer(flooder)).status());
      awaitCompletions(1);
    }
    refused("flooder over its limit", ask, "GET", ask.on("/plain/ok"), bearer(flooder));
    refused("no token on a plain servlet", ask, "GET", ask.on("/plain/ok"), null);
    guard.maintenance(true);
    refused("maintenance", ask, "GET", patient, bearer(good));
    guard.maintenance(false);
  }

  private static void driveApplicationErrors(Ask ask, String good) {
    String auth = bearer(good);
    for (String path : List.of(
        "/plain/throw", "/plain/send-error/500", "/plain/status/500", "/plain/html/502",
        "/plain/text/429", "/plain/send-error/406", "/plain/send-error/413",
        "/plain/send-error/415", "/plain/stream/503", "/plain/big-html/400",
        "/extra/send-error-internal/400", "/extra/json-sql/400", "/extra/text-secret/503",
        "/fhir/Patient/sql", "/fhir/Patient/internal", "/fhir/Patient/npe", "/fhir/Patient/999",
        "/fhir/Patient/conflict", "/fhir/Patient/unprocessable", "/fhir/Patient/notimplemented",
        "/fhir/Foo/1", "/fhir/Patient?foo=bar", "/fhir/Patient?birthdate=2021-13-45",
        "/fhir/Patient/1/$bogus", "/efhir/Observation/sql-outcome-500",
        "/efhir/Observation/internal-400", "/ehr/refused", "/ehr/timeout", "/ehr/down")) {
      send(path, Kind.APPLICATION, ask, "GET", ask.on(path), auth);
    }
    for (String method : List.of("PUT", "DELETE", "PATCH")) {
      send(method + " unmapped", Kind.REFUSAL, ask, method, ask.on("/nowhere"), auth);
    }
    send("GET unmapped", Kind.REFUSAL, ask, "GET", ask.on("/nowhere"), auth);
    send("HEAD of a 500", Kind.APPLICATION, ask, "HEAD", ask.on("/fhir/Patient/sql"), auth);
    String writer = bearer(token(claims().claim("scope", "system/Patient.cruds")));
    send("bad JSON body", Kind.APPLICATION, ask,
        post(ask.on("/fhir/Patient"), writer, "application/fhir+json", "{bad json"));
    send("bad XML body", Kind.APPLICATION, ask, post(ask.on("/fhir/Patient"), writer,
        "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><bad"));
    send("text body", Kind.APPLICATION, ask,
        post(ask.on("/fhir/Patient"), writer, "text/plain", "hello"));
  }

  private static void driveParseLevelErrors() {
    parseLevel("bad percent-encoding", RawHttp.get("/fhir/%zz"));
    parseLevel("414", "GET /fhir/" + "u".repeat(9 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\n\r\n");
    parseLevel("431", RawHttp.get("/fhir/Patient/1", "X-Filler: " + "f".repeat(9 * 1024)));
    String token = token(claims());
    parseLevel("431 with a token", RawHttp.get("/fhir/Patient/1", "Authorization: Bearer " + token,
        "X-Filler: " + "f".repeat(9 * 1024)));
  }

  private static void driveShedding(String good) throws Exception {
    holding.hold(MAX_IN_FLIGHT);
    List<CompletableFuture<RawHttp.Response>> held = new ArrayList<>();
    for (int i = 0; i < MAX_IN_FLIGHT; i++) {
      held.add(CompletableFuture.supplyAsync(() -> server.rawGet("/hold",
          "Authorization: " + bearer(good))));
    }
    holding.awaitEntered();
    for (Ask ask : List.of(Ask.DEFAULT, Ask.FORMAT_XML)) {
      refused("overloaded", ask, "GET", ask.on("/fhir/Patient/1"), bearer(good));
    }
    holding.letGo();
    for (CompletableFuture<RawHttp.Response> request : held) {
      assertEquals(200, request.get(20, TimeUnit.SECONDS).status());
    }
    awaitCompletions(MAX_IN_FLIGHT);
  }

  private static void driveKeyServerDown() {
    jwks.failing(true);
    CLOCK.advance(Duration.ofSeconds(31)); // past the refetch interval: a new kid is fetched
    for (Ask ask : List.of(Ask.DEFAULT, Ask.FORMAT_XML)) {
      refused("key server down", ask, "GET", ask.on("/fhir/Patient/1"), bearer(Tokens.sign(
          Tokens.rsa("rotated-" + ask), JWSAlgorithm.RS256, claims().build())));
    }
    jwks.failing(false);
  }

  // ---- sending

  private static void refused(String name, Ask ask, String method, String target, String auth) {
    send(name, Kind.REFUSAL, ask, method, target, auth);
  }

  private static void send(String name, Kind kind, Ask ask, String method, String target,
      String auth) {
    StringBuilder request = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    header(request, "Authorization", auth);
    for (int i = 0; i + 1 < ask.headers.length; i += 2) {
      header(request, ask.headers[i], ask.headers[i + 1]);
    }
    send(name, kind, ask, request.append("Connection: close\r\n\r\n").toString());
  }

  private static String post(String target, String auth, String contentType, String body) {
    StringBuilder request = new StringBuilder("POST ").append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    header(request, "Authorization", auth);
    header(request, "Content-Type", contentType);
    header(request, "Content-Length", String.valueOf(body.length()));
    return request.append("Connection: close\r\n\r\n").append(body).toString();
  }

  private static void send(String name, Kind kind, Ask ask, String request) {
    RawHttp.Response response = server.raw(request);
    awaitCompletions(1);
    record(name + " asked " + ask, kind, response);
  }

  private static void parseLevel(String name, String request) {
    // Jetty refuses these before any handler: nothing completes in the handler tree, and the
    // error handler has logged before it wrote the answer.
    record(name, Kind.REFUSAL, server.raw(request));
  }

  private static void record(String name, Kind kind, RawHttp.Response response) {
    String id = response.header("X-Request-ID");
    List<ILoggingEvent> lines = logs.events().stream()
        .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId")))
        .collect(Collectors.toList());
    EXCHANGES.add(new Exchange(name, kind, response, lines));
  }

  private static void awaitCompletions(int count) {
    try {
      assertTrue(COMPLETED.tryAcquire(count, 20, TimeUnit.SECONDS), "the server did not complete");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void header(StringBuilder request, String name, String value) {
    if (value != null) {
      request.append(name).append(": ").append(value).append("\r\n");
    }
  }

  private static JWTClaimsSet.Builder claims() {
    return Tokens.claims(CLOCK);
  }

  private static String token(JWTClaimsSet.Builder claims) {
    return Tokens.rs256(claims.build());
  }

  private static String bearer(String token) {
    SENT_TOKENS.add(token);
    return "Bearer " + token;
  }

  private static String base64(String text) {
    String encoded = java.util.Base64.getEncoder()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    SENT_TOKENS.add(encoded);
    return encoded;
  }

  // ---- the scans

  static List<Exchange> exchanges() {
    return EXCHANGES;
  }

  @Test
  void every_kind_of_error_was_driven_and_answered() {
    Set<Integer> statuses = EXCHANGES.stream().map(e -> e.response().status())
        .collect(Collectors.toSet());
    assertTrue(statuses.containsAll(List.of(400, 401, 403, 404, 405, 406, 409, 413, 414, 415,
        422, 429, 431, 500, 501, 502, 503, 504)), () -> "statuses driven: " + statuses);
    Set<String> codes = EXCHANGES.stream()
        .filter(e -> e.response().status() >= 400 && !e.response().body().isEmpty())
        .map(e -> catalogCode(e.response()))
        .collect(Collectors.toSet());
    assertTrue(codes.containsAll(List.of("TOKEN_MISSING", "AUTH_SCHEME_NOT_SUPPORTED",
        "TOKEN_EMPTY", "TOKEN_MALFORMED", "TOKEN_SIGNATURE_INVALID", "TOKEN_EXPIRED",
        "TOKEN_AUDIENCE_INVALID", "TOKEN_ISSUER_INVALID", "TOKEN_ALGORITHM_NOT_ALLOWED",
        "TOKEN_KEY_UNKNOWN", "SCOPE_INSUFFICIENT", "RATE_LIMITED", "MAINTENANCE",
        "SERVER_OVERLOADED", "TOKEN_VERIFICATION_UNAVAILABLE", "UPSTREAM_UNREACHABLE",
        "UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE", "INTERNAL_ERROR", "MALFORMED_REQUEST")),
        () -> "catalog codes driven: " + codes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void no_response_reveals_internals_or_a_token(Exchange exchange) {
    RawHttp.Response response = exchange.response();
    Set<String> found = new LinkedHashSet<>(scan(response.body()));
    response.headers().forEach(header -> {
      if (!header.getKey().equalsIgnoreCase("Server")) {
        found.addAll(scan(header.getValue()));
      }
    });
    if (!response.body().isEmpty()) {
      for (OperationOutcomeIssueComponent issue : outcome(response).getIssue()) {
        found.addAll(scan(String.valueOf(issue.getDiagnostics())));
        found.addAll(scan(String.valueOf(issue.getDetails().getText())));
      }
    }
    assertEquals(Set.of(), found, () -> exchange + " leaked in " + response);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void every_error_is_logged_under_its_transaction_id_by_fhirguard(Exchange exchange) {
    List<ILoggingEvent> fhirguard = exchange.lines().stream()
        .filter(e -> e.getLoggerName().equals("dev.fhirguard.errors"))
        .collect(Collectors.toList());
    assertFalse(fhirguard.isEmpty(), () -> exchange + " left no line on dev.fhirguard.errors: "
        + LogCapture.render(exchange.lines()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void only_an_unexpected_exception_is_logged_with_its_stack_trace(Exchange exchange) {
    List<ILoggingEvent> traced = exchange.lines().stream()
        .filter(e -> e.getThrowableProxy() != null)
        .collect(Collectors.toList());
    assertTrue(traced.size() <= 1, () -> exchange + ": " + LogCapture.render(traced));
    for (ILoggingEvent line : traced) {
      assertTrue(exchange.kind() == Kind.APPLICATION && exchange.response().status() == 500
          && line.getLevel() == Level.ERROR && line.getLoggerName().equals("dev.fhirguard.errors"),
          () -> exchange + " logged a stack trace: " + LogCapture.render(line));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void a_refusal_is_logged_without_internals(Exchange exchange) {
    if (exchange.kind() != Kind.REFUSAL) {
      return;
    }
    for (ILoggingEvent line : exchange.lines()) {
      if (line.getLoggerName().startsWith("dev.fhirguard.testing")) {
        continue; // the test application's own lines
      }
      // The key server's URL is the operator's own setting (logged at start-up too): the line
      // that says it failed names it. Nothing else of it may show.
      String message = line.getFormattedMessage().replace(jwks.url().toString(), "<jwks-url>");
      assertEquals(Set.of(), scan(message),
          () -> exchange + " logged internals: " + LogCapture.render(line));
    }
  }

  @Test
  void no_log_line_carries_a_sent_token_or_a_raw_control_character() {
    assertTrue(allLines.size() > EXCHANGES.size(), "the run logged its errors");
    for (ILoggingEvent line : allLines) {
      String rendered = LogCapture.render(line);
      assertEquals(Set.of(), Leaks.tokensIn(rendered, SENT_TOKENS), rendered);
      for (String text : textsOf(line)) {
        assertFalse(Leaks.hasControlCharacter(text), () -> "control character in " + rendered);
      }
    }
  }

  /** The texts of a line that must be single-line: message, MDC values, exception messages. */
  private static List<String> textsOf(ILoggingEvent line) {
    List<String> texts = new ArrayList<>();
    texts.add(line.getFormattedMessage());
    texts.addAll(line.getMDCPropertyMap().values());
    for (IThrowableProxy t = line.getThrowableProxy(); t != null; t = t.getCause()) {
      texts.add(t.getMessage());
    }
    return texts;
  }

  @Test
  void the_scan_recognises_each_kind_of_leak() {
    String token = token(claims());
    for (String sample : List.of(TestFhirServer.SQL_TEXT, "select * from patient",
        "java.lang.IllegalStateException", "NullPointerException: boom", "SomethingException",
        "StackOverflowError", "at org.example.Dao.load(Dao.java:42)", "at x.y(",
        "http://127.0.0.1/fhir", "connect to db.internal failed", "localhost",
        "port :" + server.port(), "Caused by: foo", EhrExceptions.TROUBLE)) {
      assertFalse(scan(sample).isEmpty(), sample);
    }
    assertEquals(Set.of(), scan("The request is not valid. Transaction id: 3f2a-9c"));
    assertEquals(Set.of(), scan("{\"severity\":\"error\",\"code\":\"exception\"}"));
    assertEquals(Set.of(), scan("GET /fhir/Patient/1 answered 401 TOKEN_EXPIRED: expired"));

    List<String> tokens = List.of(token);
    assertFalse(Leaks.tokensIn("Authorization: Bearer " + token, tokens).isEmpty());
    assertFalse(Leaks.tokensIn("sig=" + Leaks.signatureOf(token), tokens).isEmpty());
    assertEquals(Set.of(), Leaks.tokensIn("GET /fhir/Patient/1 answered 401", tokens));

    for (String control : List.of("a\rb", "a\nb", "a\tb", "a\u0000b", "a\u001bb", "a\u007fb",
        "a\u0085b")) {
      assertTrue(Leaks.hasControlCharacter(control), control);
    }
    assertFalse(Leaks.hasControlCharacter("GET /fhir/Patient/1 answered 404 NOT_FOUND"));
  }

  private static Set<String> scan(String text) {
    Set<String> found = new LinkedHashSet<>(leaks.internalsIn(text));
    found.addAll(Leaks.tokensIn(text, SENT_TOKENS));
    return found;
  }

  private static OperationOutcome outcome(RawHttp.Response response) {
    String type = response.header("Content-Type").toLowerCase(Locale.ROOT);
    try {
      return type.contains("xml")
          ? Outcomes.fhir().newXmlParser().parseResource(OperationOutcome.class, response.body())
          : Outcomes.fhir().newJsonParser().parseResource(OperationOutcome.class, response.body());
    } catch (RuntimeException e) {
      throw new AssertionError("not an outcome: " + response, e);
    }
  }

  private static String catalogCode(RawHttp.Response response) {
    return Outcomes.catalogCoding(outcome(response).getIssueFirstRep()).getCode();
  }

  /** A servlet calling an imaginary EHR: {@code /ehr/<failure>} throws what that failure does. */
  public static final class FailingUpstreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws java.io.IOException {
      switch (String.valueOf(request.getPathInfo())) {
        case "/refused" -> throw new java.net.ConnectException(
            "Connection refused: ehr-7.corp.internal/10.1.2.3:5432");
        case "/timeout" -> throw new java.net.http.HttpTimeoutException(
            "request to http://ehr-7.corp.internal:8443/api timed out");
        case "/down" -> throw new EhrExceptions.EhrDownException();
        default -> response.sendError(404);
      }
    }
  }
}
