package dev.fhirguard.feature.tracking;

import static dev.fhirguard.testing.Ids.assertGenerated;
import static dev.fhirguard.testing.Outcomes.describe;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.fhirguard.testing.RawAppServlet;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request-id rules over real HTTP, against HAPI, a plain servlet and the container. */
class RequestIdTest {

  private static final String REQUEST_ID = "X-Request-ID";
  private static final String CORRELATION_ID = "X-Correlation-Id";

  private static final int ANY_ERROR = -1;

  @RegisterExtension static final TestServer server = TestServer.perClass();

  // ---- helpers

  private static List<String> correlationIds(HttpResponse<String> response) {
    return response.headers().allValues(CORRELATION_ID);
  }

  /** A 200 whose X-Request-ID is a generated one and that has no X-Correlation-Id. */
  private static void assertOkWithAGeneratedIdOnly(RawHttp.Response response) {
    assertEquals(200, response.status(), response::toString);
    assertGenerated(response.header(REQUEST_ID));
    assertEquals(List.of(), response.headers(CORRELATION_ID), response::toString);
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    FhirContext context = FhirContext.forR4Cached();
    IParser parser = type.contains("xml") ? context.newXmlParser() : context.newJsonParser();
    return parser.parseResource(OperationOutcome.class, response.body());
  }

  /** The OperationOutcome id (the id part, without resource type or version). */
  private static String outcomeId(HttpResponse<String> response) {
    return outcome(response).getIdElement().getIdPart();
  }

  // ---- acceptance of the client's id

  @Test
  void valid_client_id_becomes_the_transaction_id_and_is_echoed() {
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, "client-id.42");
    assertEquals(200, response.statusCode());
    assertEquals("client-id.42", requestId(response));
    assertEquals(List.of(), correlationIds(response));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "1.2.840.113619", "-", ".", "..", "a.b..c", "Trace-ID.x",
      "0123456789012345678901234567890123456789012345678901234567890123"})
  void every_fhir_id_is_accepted_and_becomes_the_hapi_outcome_id(String clientId) {
    HttpResponse<String> response = server.get("/fhir/Patient/999", REQUEST_ID, clientId);
    assertEquals(404, response.statusCode());
    assertEquals(clientId, requestId(response));
    assertEquals(clientId, outcomeId(response));
    assertEquals(List.of(), correlationIds(response));
  }

  @Test
  void absent_client_id_gets_a_generated_uuid() {
    HttpResponse<String> first = server.get("/fhir/Patient/1");
    HttpResponse<String> second = server.get("/fhir/Patient/1");
    assertGenerated(requestId(first));
    assertGenerated(requestId(second));
    assertNotEquals(requestId(first), requestId(second));
    assertEquals(List.of(), correlationIds(first));
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "a_b", "urn:uuid:0f0e", "trace/42", "${jndi:ldap://x/a}",
      "01234567890123456789012345678901234567890123456789012345678901234"})
  void rejected_client_id_is_echoed_in_correlation_id(String clientId) {
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, clientId);
    assertEquals(200, response.statusCode());
    String id = requestId(response);
    assertGenerated(id);
    assertEquals(List.of(clientId), correlationIds(response));
  }

  @Test
  void rejected_client_id_is_not_used_by_hapi_either() {
    // HAPI on its own would accept "has space" (it allows spaces and underscores).
    HttpResponse<String> response = server.get("/fhir/Patient/999", REQUEST_ID, "has space_too");
    assertEquals(404, response.statusCode());
    String id = requestId(response);
    assertGenerated(id);
    assertEquals(id, outcomeId(response));
    assertEquals(List.of("has space_too"), correlationIds(response));
  }

  @Test
  void empty_client_id_gets_a_generated_id_and_no_correlation_id() {
    assertOkWithAGeneratedIdOnly(server.rawGet("/fhir/Patient/1", "X-Request-ID:"));
  }

  @Test
  void blank_client_id_gets_a_generated_id_and_no_correlation_id() {
    assertOkWithAGeneratedIdOnly(server.rawGet("/fhir/Patient/1", "X-Request-ID: \t "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"caf\u00e9", "tab\there", "\u00a0nbsp", "x\u00ff"})
  void client_id_with_characters_outside_printable_ascii_is_not_echoed(String clientId) {
    // Sent as one byte per character (ISO-8859-1), as many HTTP clients do.
    assertOkWithAGeneratedIdOnly(server.rawGet("/plain/ok", "X-Request-ID: " + clientId));
  }

  @Test
  void utf8_client_id_is_not_echoed() {
    byte[] head = "GET /plain/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: trace-".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
    byte[] utf8 = "\u00fc\u2028\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = "\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + utf8.length + tail.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(utf8, 0, request, head.length, utf8.length);
    System.arraycopy(tail, 0, request, head.length + utf8.length, tail.length);
    assertOkWithAGeneratedIdOnly(server.raw(request));
  }

  @Test
  void correlation_id_of_256_characters_is_echoed_but_not_257() {
    String longest = "x y".repeat(85) + "z";
    assertEquals(256, longest.length());
    HttpResponse<String> echoed = server.get("/plain/ok", REQUEST_ID, longest);
    assertGenerated(requestId(echoed));
    assertEquals(List.of(longest), correlationIds(echoed));

    HttpResponse<String> dropped = server.get("/plain/ok", REQUEST_ID, longest + "z");
    assertGenerated(requestId(dropped));
    assertEquals(List.of(), correlationIds(dropped));
  }

  @Test
  void five_kilobyte_client_id_gets_a_generated_id_and_no_correlation_id() {
    String huge = "a".repeat(5 * 1024);
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, huge);
    assertEquals(200, response.statusCode());
    assertGenerated(requestId(response));
    assertEquals(List.of(), correlationIds(response));
  }

  @Test
  void max_correlation_id_length_setting_is_honoured() {
    try (TestServer limited =
        TestServer.start(Map.of("fhirguard.request-id.max-correlation-id-length", "16"))) {
      HttpResponse<String> echoed = limited.get("/plain/ok", REQUEST_ID, "sixteen chars ok");
      assertGenerated(requestId(echoed));
      assertEquals(List.of("sixteen chars ok"), correlationIds(echoed));

      HttpResponse<String> dropped = limited.get("/plain/ok", REQUEST_ID, "seventeen chars!!");
      assertGenerated(requestId(dropped));
      assertEquals(List.of(), correlationIds(dropped));
    }
  }

  @Test
  void with_accept_client_id_false_every_request_gets_a_fresh_id_and_the_client_id_becomes_the_correlation_id() {
    try (TestServer strict =
        TestServer.start(Map.of("fhirguard.request-id.accept-client-id", "false"))) {
      HttpResponse<String> success = strict.get("/fhir/Patient/1", REQUEST_ID, "valid-client-id");
      assertEquals(200, success.statusCode());
      assertGenerated(requestId(success));
      assertEquals(List.of("valid-client-id"), correlationIds(success));

      HttpResponse<String> hapiError = strict.get("/fhir/Patient/999", REQUEST_ID, "valid-client-id");
      assertEquals(404, hapiError.statusCode());
      String id = requestId(hapiError);
      assertGenerated(id);
      assertEquals(id, outcomeId(hapiError), "HAPI must use the fresh id, not the client's");
      assertEquals(List.of("valid-client-id"), correlationIds(hapiError));

      HttpResponse<String> plainError = strict.get("/plain/throw", REQUEST_ID, "valid-client-id");
      assertEquals(500, plainError.statusCode());
      assertEquals(requestId(plainError), outcomeId(plainError));
      assertEquals(List.of("valid-client-id"), correlationIds(plainError));

      HttpResponse<String> none = strict.get("/plain/ok");
      assertGenerated(requestId(none));
      assertEquals(List.of(), correlationIds(none));

      assertNotEquals(requestId(success), requestId(hapiError));
    }
  }

  // ---- exactly one X-Request-ID on every kind of response

  static Stream<Arguments> everyKindOfResponse() {
    return Stream.of(
        Arguments.of("GET", "/fhir/Patient/1", 200),
        Arguments.of("GET", "/fhir/Patient?name=x", 200),
        Arguments.of("POST", "/fhir/Patient", 201),
        Arguments.of("HEAD", "/fhir/Patient/1", 200),
        Arguments.of("GET", "/fhir/Patient/999", 404),
        Arguments.of("HEAD", "/fhir/Patient/999", 404),
        Arguments.of("GET", "/fhir/Patient/gone", 410),
        Arguments.of("GET", "/fhir/Patient/conflict", 409),
        Arguments.of("GET", "/fhir/Patient/sql", 500),
        Arguments.of("GET", "/fhir/Patient/internal", 500),
        Arguments.of("GET", "/fhir/Patient/npe", 500),
        Arguments.of("GET", "/fhir/Nothing/1", 404),
        Arguments.of("DELETE", "/fhir/Patient/1", 405),
        Arguments.of("GET", "/fhir/Patient?birthdate=notadate", 400),
        Arguments.of("GET", "/plain/ok", 200),
        Arguments.of("GET", "/plain/set-request-id", 200),
        Arguments.of("GET", "/plain/send-error/409", 409),
        Arguments.of("GET", "/plain/send-error-bare/403", 403),
        Arguments.of("GET", "/plain/status/503", 503),
        Arguments.of("GET", "/plain/json/401", 401),
        Arguments.of("GET", "/plain/html/502", 502),
        Arguments.of("GET", "/plain/text/429", 429),
        Arguments.of("GET", "/plain/stream/400", 400),
        Arguments.of("GET", "/plain/fhir-oo/422", 422),
        Arguments.of("GET", "/plain/json-oo/422", 422),
        Arguments.of("GET", "/plain/big-html/500", 500),
        Arguments.of("GET", "/plain/status-after-write/500", 500),
        Arguments.of("GET", "/plain/throw", 500),
        Arguments.of("HEAD", "/plain/throw", 500),
        Arguments.of("GET", "/plain/async-timeout", 503),
        Arguments.of("GET", "/nowhere", 404),
        Arguments.of("HEAD", "/nowhere", 404),
        Arguments.of("POST", "/nowhere", 405),
        Arguments.of("PUT", "/nowhere", 405),
        Arguments.of("DELETE", "/nowhere", 405),
        // Servlet 6.0's HttpServlet answers an unknown method (PATCH) with 501.
        Arguments.of("PATCH", "/nowhere", ANY_ERROR),
        Arguments.of("OPTIONS", "/nowhere", 200));
  }

  private static HttpResponse<String> send(TestServer target, String method, String path,
      String... headers) {
    String body = method.equals("POST") && path.startsWith("/fhir/Patient")
        ? "{\"resourceType\":\"Patient\"}" : null;
    String[] all = body == null ? headers
        : Stream.concat(Stream.of(headers), Stream.of("Content-Type", "application/fhir+json"))
            .toArray(String[]::new);
    return target.send(method, path, body, all);
  }

  private static void assertStatus(int expected, HttpResponse<String> response) {
    if (expected == ANY_ERROR) {
      assertTrue(response.statusCode() >= 400, describe(response));
    } else {
      assertEquals(expected, response.statusCode(), () -> describe(response) + "\n" + response.body());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyKindOfResponse")
  void every_response_has_exactly_one_generated_request_id(String method, String path, int status) {
    HttpResponse<String> response = send(server, method, path);
    assertStatus(status, response);
    assertGenerated(requestId(response));
    assertEquals(List.of(), correlationIds(response), () -> describe(response));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyKindOfResponse")
  void every_response_echoes_exactly_one_client_request_id(String method, String path, int status) {
    HttpResponse<String> response = send(server, method, path, REQUEST_ID, "client-7.a");
    assertStatus(status, response);
    assertEquals("client-7.a", requestId(response));
    assertEquals(List.of(), correlationIds(response), () -> describe(response));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyKindOfResponse")
  void every_response_has_exactly_one_correlation_id_for_a_rejected_client_id(
      String method, String path, int status) {
    HttpResponse<String> response = send(server, method, path, REQUEST_ID, "not a fhir id");
    assertStatus(status, response);
    assertGenerated(requestId(response));
    assertEquals(List.of("not a fhir id"), correlationIds(response), () -> describe(response));
  }

  @Test
  void application_cannot_replace_the_request_id() {
    HttpResponse<String> withClientId = server.get("/plain/set-request-id", REQUEST_ID, "mine-1");
    assertEquals(200, withClientId.statusCode());
    assertEquals("mine-1", requestId(withClientId));
    assertEquals("ok", withClientId.body());

    HttpResponse<String> without = server.get("/plain/set-request-id");
    String id = requestId(without);
    assertGenerated(id);
    assertFalse(id.startsWith("from-app"));
  }

  /**
   * A raw GET of {@code path} with this X-Request-ID, on its own Jetty with fhirguard and {@link
   * RawAppServlet} at {@code /raw/*}.
   */
  private static RawHttp.Response getFromRawApp(String path, String clientId) {
    try (TestServer raw = TestServer.builder().servlet("/raw/*", new RawAppServlet()).start()) {
      return raw.rawGet(path, "X-Request-ID: " + clientId);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/raw/set-date", "/raw/add-date"})
  void application_cannot_replace_the_request_id_with_a_date_header(String path) {
    RawHttp.Response response = getFromRawApp(path, "date-client-1");
    assertEquals(200, response.status(), response::toString);
    assertEquals(List.of("date-client-1"), response.headers(REQUEST_ID), response::toString);
  }

  @Test
  void application_cannot_add_a_correlation_id_with_a_date_header() {
    RawHttp.Response response = getFromRawApp("/raw/add-date-correlation", "has space");
    assertEquals(200, response.status(), response::toString);
    assertEquals(List.of("has space"), response.headers(CORRELATION_ID), response::toString);
  }

  @Test
  void error_escaping_the_filter_still_gets_exactly_one_request_id() {
    RawHttp.Response response = getFromRawApp("/raw/stack-overflow", "overflow-1");
    assertEquals(500, response.status(), response::toString);
    assertEquals(List.of("overflow-1"), response.headers(REQUEST_ID), response::toString);
    OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
    assertEquals("overflow-1", outcome.getIdElement().getIdPart());
    assertFalse(response.body().contains("simulated deep recursion"), response::toString);
    assertFalse(response.body().contains("StackOverflowError"), response::toString);
  }

  @Test
  void hapi_success_carries_only_the_filter_request_id() {
    // HAPI adds its own X-Request-ID with addHeader on every response it writes.
    HttpResponse<String> response = server.get("/fhir/Patient/1", REQUEST_ID, "hapi-success");
    assertEquals(200, response.statusCode());
    assertEquals(List.of("hapi-success"), response.headers().allValues(REQUEST_ID));
    assertTrue(response.body().contains("Chalmers"));
  }

  // ---- OperationOutcome.id equals X-Request-ID

  static Stream<Arguments> everyOutcome() {
    return Stream.of(
        Arguments.of("GET", "/fhir/Patient/999"),
        Arguments.of("GET", "/fhir/Patient/999?_format=xml"),
        Arguments.of("GET", "/fhir/Patient/gone"),
        Arguments.of("GET", "/fhir/Patient/unprocessable"),
        Arguments.of("GET", "/fhir/Patient/forbidden"),
        Arguments.of("GET", "/fhir/Patient/sql"),
        Arguments.of("GET", "/fhir/Patient/internal"),
        Arguments.of("GET", "/fhir/Patient/notimplemented"),
        Arguments.of("GET", "/fhir/Nothing/1"),
        Arguments.of("DELETE", "/fhir/Patient/1"),
        Arguments.of("GET", "/fhir/Patient?birthdate=notadate"),
        Arguments.of("GET", "/plain/send-error/409"),
        Arguments.of("GET", "/plain/send-error-bare/403"),
        Arguments.of("GET", "/plain/status/503"),
        Arguments.of("GET", "/plain/json/401"),
        Arguments.of("GET", "/plain/html/502"),
        Arguments.of("GET", "/plain/text/429?_format=xml"),
        Arguments.of("GET", "/plain/stream/400"),
        Arguments.of("GET", "/plain/big-html/500"),
        Arguments.of("GET", "/plain/status-after-write/500"),
        Arguments.of("GET", "/plain/throw"),
        Arguments.of("GET", "/plain/async-timeout"),
        Arguments.of("GET", "/nowhere"),
        Arguments.of("POST", "/nowhere"),
        Arguments.of("PUT", "/nowhere"),
        Arguments.of("DELETE", "/nowhere"),
        Arguments.of("PATCH", "/nowhere"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyOutcome")
  void outcome_id_equals_the_generated_request_id(String method, String path) {
    HttpResponse<String> response = send(server, method, path);
    assertTrue(response.statusCode() >= 400, () -> describe(response));
    String id = requestId(response);
    assertGenerated(id);
    assertEquals(id, outcomeId(response), () -> describe(response) + "\n" + response.body());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyOutcome")
  void outcome_id_equals_the_client_request_id(String method, String path) {
    HttpResponse<String> response = send(server, method, path, REQUEST_ID, "oo-id.7");
    assertTrue(response.statusCode() >= 400, () -> describe(response));
    assertEquals("oo-id.7", requestId(response));
    assertEquals("oo-id.7", outcomeId(response), () -> describe(response) + "\n" + response.body());
  }

  @Test
  void server_error_diagnostics_name_the_same_transaction_id() {
    HttpResponse<String> response = server.get("/fhir/Patient/sql", REQUEST_ID, "diag-id-1");
    assertEquals(500, response.statusCode());
    String diagnostics = outcome(response).getIssueFirstRep().getDiagnostics();
    assertTrue(diagnostics.contains("diag-id-1"), diagnostics);
  }
}
