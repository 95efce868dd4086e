package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Ids.UUID_V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestServer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests Jetty rejects before any filter runs (bad request lines, bad or oversized headers),
 * sent as raw bytes: the server-level error handler answers with a JSON OperationOutcome and a
 * fresh transaction id.
 */
class ParseLevelErrorTest {

  private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";
  /** Jetty's default request header size is 8 KB. */
  private static final String OVERSIZED_HEADER = "X-Padding: " + "p".repeat(9 * 1024);

  @RegisterExtension static final TestServer server = TestServer.perClass();

  private static String request(String requestLine, String... headerLines) {
    StringBuilder text = new StringBuilder(requestLine).append("\r\n");
    for (String line : headerLines) {
      text.append(line).append("\r\n");
    }
    return text.append("\r\n").toString();
  }

  static Stream<Arguments> rejectedRequests() {
    return Stream.of(
        Arguments.of("bad percent-encoding in the URI", 400,
            RawHttp.get("/fhir/%zz")),
        Arguments.of("bad percent-encoding with a valid client id", 400,
            RawHttp.get("/fhir/%zz", "X-Request-ID: parse-client-1")),
        Arguments.of("encoded NUL in the path", 400,
            RawHttp.get("/fhir/Patient/a%00b")),
        Arguments.of("encoded slash traversal", 400,
            RawHttp.get("/fhir/Patient/..%2F..%2Fetc")),
        Arguments.of("encoded dot segments", 400,
            RawHttp.get("/fhir/Patient/%2e%2e/%2e%2e/etc")),
        Arguments.of("encoded CR LF in the path", 400,
            RawHttp.get("/fhir/Patient/%0D%0AINJECTED")),
        Arguments.of("request line without a URI", 400,
            "BOGUS\r\n\r\n"),
        Arguments.of("URI longer than the header buffer", 414,
            request("GET /fhir/" + "u".repeat(9 * 1024) + " HTTP/1.1", "Host: 127.0.0.1")),
        Arguments.of("unknown HTTP version", 505,
            request("GET /fhir/Patient/1 HTTP/9.9", "Host: 127.0.0.1")),
        Arguments.of("header block over 8 KB", 431,
            RawHttp.get("/fhir/Patient/1", OVERSIZED_HEADER)),
        Arguments.of("header block over 8 KB after a valid client id", 431,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: parse-client-2", OVERSIZED_HEADER)),
        Arguments.of("10 KB X-Request-ID", 431,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: " + "a".repeat(10 * 1024))),
        Arguments.of("raw CR inside X-Request-ID", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: abc\rINJECTED")),
        Arguments.of("raw CR inside another header after a valid client id", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: parse-client-3", "X-Other: a\rINJECTED")),
        Arguments.of("bare LF inside X-Request-ID", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: abc\nINJECTED line")),
        Arguments.of("folded X-Request-ID", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: abc", " INJECTED")),
        Arguments.of("DEL inside X-Request-ID", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: abc\u007fINJECTED")),
        Arguments.of("NUL inside X-Request-ID", 400,
            RawHttp.get("/fhir/Patient/1", "X-Request-ID: abc\u0000INJECTED")),
        Arguments.of("space in a header name", 400,
            RawHttp.get("/fhir/Patient/1", "Bad Name: x")),
        Arguments.of("invalid Content-Length", 400,
            RawHttp.get("/fhir/Patient/1", "Content-Length: INJECTED")),
        Arguments.of("missing Host", 400,
            request("GET /fhir/Patient/1 HTTP/1.1", "Connection: close")),
        Arguments.of("duplicate Host", 400,
            RawHttp.get("/fhir/Patient/1", "Host: other")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rejectedRequests")
  void parse_error_is_a_json_operation_outcome_with_a_fresh_id(
      String name, int status, String request) {
    RawHttp.Response response = server.raw(request);

    assertEquals(status, response.status(), response::toString);
    assertEquals(FHIR_JSON, response.header("Content-Type"), response::toString);
    OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
    assertFalse(outcome.getIssue().isEmpty(), response::toString);
    assertEquals(OperationOutcome.IssueSeverity.ERROR, outcome.getIssueFirstRep().getSeverity());

    String id = response.header("X-Request-ID");
    assertTrue(UUID_V4.matcher(id).matches(), () -> "not a fresh id: " + response);
    assertEquals(id, outcome.getIdElement().getIdPart(), response::toString);
    assertEquals(List.of(), response.headers("X-Correlation-Id"), response::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedRequests")
  void parse_error_shows_no_internals_and_reflects_nothing(
      String name, int status, String request) {
    RawHttp.Response response = server.raw(request);
    String body = response.body();
    String lower = body.toLowerCase(Locale.ROOT);
    for (String internal : List.of("org.eclipse", "java.", "jetty", ".java:", "\tat ", "<html",
        "badmessage", "stack", "caused by")) {
      assertFalse(lower.contains(internal), () -> "'" + internal + "' in " + body);
    }
    // A class name such as BadMessageException or HttpException (the issue code "exception" is fine).
    assertFalse(Pattern.compile("[A-Za-z]Exception").matcher(body).find(), body);
    assertFalse(body.contains("INJECTED"), body);
    for (Map.Entry<String, String> header : response.headers()) {
      assertFalse(header.getValue().contains("INJECTED"), () -> "reflected: " + header);
      assertFalse(header.getKey().contains("INJECTED"), () -> "reflected: " + header);
    }
  }

  @Test
  void each_parse_error_gets_its_own_id() {
    String request = RawHttp.get("/fhir/%zz");
    String first = server.raw(request).header("X-Request-ID");
    String second = server.raw(request).header("X-Request-ID");
    assertNotEquals(first, second);
  }

  @Test
  void ten_kilobyte_request_id_is_rejected_without_echoing_it() {
    String huge = "b".repeat(10 * 1024);
    RawHttp.Response response = server.rawGet("/fhir/Patient/1", "X-Request-ID: " + huge);
    assertEquals(431, response.status(), response::toString);
    assertFalse(response.body().contains("bbbbbbbbbb"), response::toString);
    for (Map.Entry<String, String> header : response.headers()) {
      assertFalse(header.getValue().contains("bbbbbbbbbb"), () -> "reflected: " + header.getKey());
    }
  }

  @Test
  void five_kilobyte_request_id_fits_the_header_buffer_and_gets_a_generated_id() {
    String large = "c".repeat(5 * 1024);
    RawHttp.Response response = server.rawGet("/fhir/Patient/1", "X-Request-ID: " + large);
    assertEquals(200, response.status(), response::toString);
    assertTrue(UUID_V4.matcher(response.header("X-Request-ID")).matches(), response::toString);
    assertEquals(List.of(), response.headers("X-Correlation-Id"));
  }

  @Test
  void head_request_with_oversized_headers_gets_headers_but_no_body() {
    RawHttp.Response response = server.raw(
        request("HEAD /fhir/Patient/1 HTTP/1.1", "Host: 127.0.0.1", OVERSIZED_HEADER,
            "Connection: close"));
    assertEquals(431, response.status(), response::toString);
    String id = response.header("X-Request-ID");
    assertTrue(UUID_V4.matcher(id).matches(), response::toString);
    List<String> lengths = response.headers("Content-Length");
    assertTrue(lengths.isEmpty() || lengths.equals(List.of("0")), response::toString);
  }

  @Test
  void connection_kept_after_an_ambiguous_path_serves_the_next_request_with_its_own_id() {
    List<RawHttp.Response> responses = RawHttp.exchangeAll(server.port(),
        request("GET /fhir/Patient/..%2F..%2Fetc HTTP/1.1", "Host: 127.0.0.1",
            "X-Request-ID: first-of-two")
            + request("GET /fhir/Patient/1 HTTP/1.1", "Host: 127.0.0.1", "Connection: close"),
        "GET", "GET");
    RawHttp.Response rejected = responses.get(0);
    RawHttp.Response next = responses.get(1);
    assertEquals(400, rejected.status(), rejected::toString);
    assertEquals(200, next.status(), next::toString);
    String nextId = next.header("X-Request-ID");
    assertTrue(UUID_V4.matcher(nextId).matches(), next::toString);
    assertNotEquals(rejected.header("X-Request-ID"), nextId);
    assertNotEquals("first-of-two", nextId);
  }
}
