package dev.fhirguard.feature.outcome;

import static dev.fhirguard.testing.Outcomes.contentType;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.ExtraServlet;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.TestFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives every error path of every layer, in JSON and XML, and scans each response for what must
 * never reach a client: SQL, exception class names, stack frames, host names and ports.
 */
class LeakScanTest {

  @RegisterExtension
  static final TestServer server = ExtraServlet.server(true, Map.of()).perClass();

  /** Literal texts (case-insensitive) no error response may contain. */
  private static final List<String> FORBIDDEN = new ArrayList<>(List.of(
      TestFhirServer.SQL_TEXT, PlainServlet.SECRET_SQL, ExtraServlet.INTERNAL_MESSAGE,
      "hfj_resource", "pk_patient", "duplicate key", "select ssn", "insert into", "sql",
      "nullpointer", "illegalstate", "String.length()", "java.", "javax.",
      "jakarta.", "org.example", "com.example", "com.acme", "org.hibernate", "ca.uhn.",
      "Dao.java", ".java:", "127.0.0.1", "localhost", "db.internal", ":5432", "Caused by"));

  /**
   * Exception and error class names, case-sensitive: {@code Exception}, {@code SQLException},
   * {@code StackOverflowError} (the lower-case IssueType code {@code exception} is legitimate).
   */
  private static final Pattern CLASS_NAME =
      Pattern.compile("Exception|Throwable|\\b[A-Z][A-Za-z0-9$]*[a-z0-9]Error\\b");

  /** Stack frames such as {@code at x.y.Z.m(Z.java:1)} or {@code at x.y(}. */
  private static final Pattern STACK_FRAME = Pattern.compile("\\bat\\s+[\\w$]+(?:\\.[\\w$<>]+)+\\(");

  @BeforeAll
  static void forbidThePortAndHostName() throws Exception {
    FORBIDDEN.add(":" + server.port());
    String host = InetAddress.getLocalHost().getHostName();
    if (host.length() >= 4 && !host.equalsIgnoreCase("localhost")) {
      FORBIDDEN.add(host);
    }
  }

  /** One request: method, path, body, content type of the body. */
  record Call(String method, String path, String body, String contentType) {
    static Call get(String path) {
      return new Call("GET", path, null, null);
    }

    static Call of(String method, String path) {
      return new Call(method, path, null, null);
    }

    @Override
    public String toString() {
      return method + " " + path + (contentType == null ? "" : " (" + contentType + ")");
    }
  }

  static List<Call> errorPaths() {
    List<Call> calls = new ArrayList<>();
    // Filter layer.
    for (String path : List.of(
        "/plain/send-error/409", "/plain/send-error/500", "/plain/send-error-bare/503",
        "/plain/status/404", "/plain/status/500", "/plain/throw", "/plain/json/401",
        "/plain/json/500", "/plain/html/400", "/plain/html/502", "/plain/text/429",
        "/plain/text/500", "/plain/stream/400", "/plain/stream/503", "/plain/big-html/400",
        "/plain/big-html/500", "/plain/status-after-write/400", "/plain/status-after-write/500",
        "/plain/fhir-oo/422", "/plain/json-oo/422",
        "/extra/send-error-internal/400", "/extra/send-error-internal/500",
        "/extra/json-sql/400", "/extra/json-sql/502", "/extra/text-secret/400",
        "/extra/text-secret/503")) {
      calls.add(Call.get(path));
    }
    calls.add(Call.of("HEAD", "/plain/throw"));
    calls.add(new Call("POST", "/plain/throw", "<x/>", "application/fhir+xml"));
    // Container.
    for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "POST", "HEAD")) {
      calls.add(Call.of(method, "/nowhere"));
    }
    // HAPI.
    for (String trigger : List.of("999", "gone", "conflict", "precondition", "unprocessable",
        "notimplemented", "forbidden", "unauthenticated", "sql", "internal", "npe")) {
      calls.add(Call.get("/fhir/Patient/" + trigger));
    }
    calls.add(Call.of("HEAD", "/fhir/Patient/sql"));
    calls.add(Call.get("/fhir/Foo/1"));
    calls.add(Call.get("/fhir/Patient?foo=bar"));
    calls.add(Call.get("/fhir/Patient?birthdate=2021-13-45"));
    calls.add(Call.of("PATCH", "/fhir/Patient/1"));
    calls.add(Call.get("/fhir/Patient/1/$bogus"));
    calls.add(new Call("POST", "/fhir/Patient", "{bad json", "application/fhir+json"));
    calls.add(new Call("POST", "/fhir/Patient", "<Patient xmlns=\"http://hl7.org/fhir\"><bad",
        "application/fhir+xml"));
    calls.add(new Call("POST", "/fhir/Patient",
        "{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}", "application/fhir+json"));
    for (String trigger : List.of("sql-outcome-500", "internal-400", "long-400")) {
      calls.add(Call.get("/efhir/Observation/" + trigger));
    }
    return calls;
  }

  /** The ways of asking for a format that every error path is tried with. */
  static final List<Ask> ASKS = List.of(Ask.DEFAULT, Ask.FORMAT_XML, Ask.ACCEPT_XML);

  static Stream<Arguments> everyErrorPathInEveryFormat() {
    return errorPaths().stream()
        .flatMap(call -> ASKS.stream().map(ask -> Arguments.of(call, ask)));
  }

  /** Both scans look at the same responses: each request is sent once. */
  private static final Map<String, HttpResponse<String>> RESPONSES = new ConcurrentHashMap<>();

  private static HttpResponse<String> send(Call call, Ask ask) {
    return RESPONSES.computeIfAbsent(call + " " + call.body() + " " + ask, key -> sendNow(call, ask));
  }

  private static HttpResponse<String> sendNow(Call call, Ask ask) {
    String path = ask.on(call.path());
    List<String> headers = new ArrayList<>(List.of(ask.headers));
    if (call.contentType() != null) {
      headers.add("Content-Type");
      headers.add(call.contentType());
    }
    return server.send(call.method(), path, call.body(), headers.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0} asked {1}")
  @MethodSource("everyErrorPathInEveryFormat")
  void no_error_response_reveals_sql_class_names_stack_frames_hosts_or_ports(Call call, Ask ask) {
    HttpResponse<String> response = send(call, ask);
    Set<String> leaks = leaksIn(response.body());
    response.headers().map().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("server") && !name.equalsIgnoreCase("x-powered-by")) {
        values.forEach(value -> leaks.addAll(leaksIn(value)));
      }
    });
    if (response.statusCode() >= 400 && !response.body().isEmpty()) {
      // The decoded texts too (an XML body escapes quotes of the SQL text, for instance).
      OperationOutcome outcome = parseAnyOutcome(response);
      for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
        leaks.addAll(leaksIn(String.valueOf(issue.getDiagnostics())));
        leaks.addAll(leaksIn(String.valueOf(issue.getDetails().getText())));
      }
    }
    assertEquals(Set.of(), leaks, () -> call + " leaked in: " + response.body());
  }

  @ParameterizedTest(name = "{0} asked {1}")
  @MethodSource("everyErrorPathInEveryFormat")
  void every_error_body_is_a_valid_operation_outcome_and_server_errors_say_only_the_catalog_text(
      Call call, Ask ask) {
    HttpResponse<String> response = send(call, ask);
    if (response.statusCode() < 400) {
      assertEquals("/plain/commit-then-throw", call.path(), "only the committed response is < 400");
      return;
    }
    if ("HEAD".equals(call.method())) {
      assertEquals("", response.body());
      return;
    }
    OperationOutcome outcome = parseAnyOutcome(response);
    assertFalse(outcome.getIssue().isEmpty(), response.body());
    if (response.statusCode() >= 500) {
      OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
      ErrorCode code = ErrorCode.valueOf(Outcomes.catalogCoding(issue).getCode());
      assertEquals(code.defaultText() + " Transaction id: " + requestId(response),
          issue.getDiagnostics(), response.body());
      assertEquals(1, outcome.getIssue().size(), response.body());
    }
  }

  @Test
  void the_scan_recognises_each_kind_of_leak() {
    // Guards the scanner itself: each sample must be caught.
    for (String sample : List.of(TestFhirServer.SQL_TEXT, PlainServlet.SECRET_SQL,
        "java.lang.IllegalStateException", "NullPointerException: boom",
        "at org.example.Dao.load(Dao.java:42)", "at x.y(", "http://127.0.0.1:8080/fhir",
        "connect to db.internal:5432 failed", "Caused by: foo", "SomethingException",
        "StackOverflowError")) {
      assertFalse(leaksIn(sample).isEmpty(), sample);
    }
    assertEquals(Set.of(), leaksIn("The request is not valid. Transaction id: 3f2a-9c"));
    assertEquals(Set.of(), leaksIn("{\"severity\":\"error\",\"code\":\"exception\"}"));
  }

  private static Set<String> leaksIn(String text) {
    Set<String> found = new LinkedHashSet<>();
    String lower = text.toLowerCase(Locale.ROOT);
    for (String forbidden : FORBIDDEN) {
      if (lower.contains(forbidden.toLowerCase(Locale.ROOT))) {
        found.add(forbidden);
      }
    }
    for (Pattern pattern : List.of(CLASS_NAME, STACK_FRAME)) {
      Matcher matcher = pattern.matcher(text);
      if (matcher.find()) {
        found.add(matcher.group());
      }
    }
    return found;
  }

  /** Parses an OperationOutcome in JSON or XML, whatever JSON/XML media type it was sent as. */
  private static OperationOutcome parseAnyOutcome(HttpResponse<String> response) {
    String type = contentType(response).toLowerCase(Locale.ROOT);
    assertTrue(type.contains("json") || type.contains("xml"),
        () -> "not JSON or XML: " + type + " " + response.body());
    try {
      return type.contains("xml")
          ? Outcomes.fhir().newXmlParser().parseResource(OperationOutcome.class, response.body())
          : Outcomes.fhir().newJsonParser().parseResource(OperationOutcome.class, response.body());
    } catch (RuntimeException e) {
      throw new AssertionError("unparseable outcome (" + type + "): " + response.body(), e);
    }
  }
}
