package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.contentType;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.ExtraServlet;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The servlet-filter layer: whatever a non-FHIR servlet does wrong becomes an OperationOutcome. */
class ErrorBoundaryTest {

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  @RegisterExtension
  static final TestServer extra = ExtraServlet.server(true, Map.of()).perClass();
  @RegisterExtension
  static final TestServer bare = ExtraServlet.server(false, Map.of()).perClass();
  @RegisterExtension
  static final TestServer closed =
      TestServer.perClass(Map.of("fhirguard.outcome.expose-client-error-details", "false"));

  /** The ways of asking for a format that every filter-layer error is tried with. */
  static final List<Ask> ASKS =
      List.of(Ask.DEFAULT, Ask.FORMAT_JSON, Ask.FORMAT_XML, Ask.ACCEPT_JSON, Ask.ACCEPT_XML);

  /** Every status of the spec's table with the catalog code the filter must use for it. */
  static Stream<Arguments> statuses() {
    return Stream.of(
            "400 INVALID_REQUEST", "401 AUTHENTICATION_REQUIRED", "403 FORBIDDEN", "404 NOT_FOUND",
            "405 METHOD_NOT_ALLOWED", "406 NOT_ACCEPTABLE", "409 CONFLICT", "410 RESOURCE_DELETED",
            "412 PRECONDITION_FAILED", "413 PAYLOAD_TOO_LARGE", "415 UNSUPPORTED_MEDIA_TYPE",
            "422 UNPROCESSABLE_ENTITY", "429 TOO_MANY_REQUESTS", "500 INTERNAL_ERROR",
            "501 NOT_IMPLEMENTED", "502 BAD_GATEWAY", "503 SERVICE_UNAVAILABLE",
            "504 GATEWAY_TIMEOUT")
        .flatMap(row -> Stream.of("send-error", "send-error-bare", "status")
            .map(behaviour -> Arguments.of(behaviour, Integer.parseInt(row.substring(0, 3)),
                row.substring(4))));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("statuses")
  void every_error_status_gets_the_issue_type_and_catalog_code_of_its_status(
      String behaviour, int status, String code) {
    for (Ask ask : new Ask[] {Ask.DEFAULT, Ask.FORMAT_XML}) {
      HttpResponse<String> response =
          server.get(ask.on("/plain/" + behaviour + "/" + status), ask.headers);
      assertError(response, status, code, ask.xml);
      assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
    }
  }

  /** Filter-layer paths: path, status, catalog code. */
  static Stream<Arguments> filterErrors() {
    Stream<Arguments> rows = Stream.of(
        Arguments.of("/plain/send-error/409", 409, "CONFLICT"),
        Arguments.of("/plain/send-error-bare/503", 503, "SERVICE_UNAVAILABLE"),
        Arguments.of("/plain/status/404", 404, "NOT_FOUND"),
        Arguments.of("/plain/throw", 500, "INTERNAL_ERROR"),
        Arguments.of("/plain/json/401", 401, "AUTHENTICATION_REQUIRED"),
        Arguments.of("/plain/json/403", 403, "FORBIDDEN"),
        Arguments.of("/plain/html/502", 502, "BAD_GATEWAY"),
        Arguments.of("/plain/html/400", 400, "INVALID_REQUEST"),
        Arguments.of("/plain/text/429", 429, "TOO_MANY_REQUESTS"),
        Arguments.of("/plain/text/503", 503, "SERVICE_UNAVAILABLE"),
        Arguments.of("/plain/stream/400", 400, "INVALID_REQUEST"),
        Arguments.of("/plain/stream/500", 500, "INTERNAL_ERROR"),
        Arguments.of("/plain/big-html/400", 400, "INVALID_REQUEST"),
        Arguments.of("/plain/big-html/504", 504, "GATEWAY_TIMEOUT"),
        Arguments.of("/plain/status-after-write/400", 400, "INVALID_REQUEST"),
        Arguments.of("/plain/status-after-write/500", 500, "INTERNAL_ERROR"));
    return rows.flatMap(row -> ASKS.stream()
        .map(ask -> Arguments.of(row.get()[0], row.get()[1], row.get()[2], ask)));
  }

  @ParameterizedTest(name = "{0} asked {3}")
  @MethodSource("filterErrors")
  void every_filter_layer_error_is_a_parseable_outcome_in_the_negotiated_format(
      String path, int status, String code, Ask ask) {
    assertError(server.get(ask.on(path), ask.headers), status, code, ask.xml);
  }

  @ParameterizedTest(name = "query={0} Accept={1} Content-Type={2} -> xml={3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "_format=application/fhir+xml      | -                     | -                    | true",
      "_format=application/fhir+json     | application/fhir+xml  | -                    | false",
      "_format=application%2Ffhir%2Bxml  | -                     | -                    | true",
      "_format=application%2Ffhir%2Bjson | application/fhir+xml  | -                    | false",
      "_format=application/xml           | -                     | -                    | true",
      "_format=application/json          | application/fhir+xml  | -                    | false",
      "_format=xml                       | application/fhir+json | application/fhir+json| true",
      "_format=foo&_format=xml           | -                     | -                    | true",
      "_format=foo                       | application/fhir+xml  | -                    | true",
      "_format=text/html                 | -                     | -                    | false",
      "-  | application/fhir+xml;q=0.9, application/fhir+json;q=0.1 | -                   | true",
      "-  | application/fhir+json;q=0.9, application/fhir+xml;q=0.1 | application/fhir+xml | false",
      "-                                 | text/html             | -                    | false",
      "-                                 | image/png             | -                    | false",
      "-                                 | -                     | application/fhir+xml | true",
      "-                                 | application/fhir+json | application/fhir+xml | false",
      "-                                 | text/html             | application/fhir+xml | true",
      "-                                 | image/png             | application/xml      | true",
  })
  void a_filter_error_negotiates_format_parameter_then_accept_then_content_type_then_json(
      String query, String accept, String contentType, boolean xml) {
    String path = "/plain/status/404" + (query == null ? "" : "?" + query);
    List<String> headers = new ArrayList<>();
    if (accept != null) {
      headers.addAll(List.of("Accept", accept));
    }
    if (contentType != null) {
      headers.addAll(List.of("Content-Type", contentType));
    }
    HttpResponse<String> response = server.send(contentType == null ? "GET" : "POST", path,
        contentType == null ? null : "<x/>", headers.toArray(String[]::new));
    assertError(response, 404, "NOT_FOUND", xml);
  }

  @Test
  void an_accept_header_over_4096_characters_is_ignored() {
    String huge = "application/fhir+xml" + ", text/plain;q=0.1".repeat(300);
    assertTrue(huge.length() > 4096);
    assertError(server.get("/plain/status/404", "Accept", huge), 404, "NOT_FOUND", false);
    // The same preference in a short header is honoured.
    assertError(server.get("/plain/status/404", "Accept", huge.substring(0, 200)), 404,
        "NOT_FOUND", true);
  }

  @ParameterizedTest(name = "{0} -> \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "/plain/send-error/409           | Version conflict on Patient/1",
      "/plain/json/401                 | Unauthorized",
      "/plain/html/400                 | Service down",
      "/plain/text/429                 | Quota exhausted for this key",
      "/plain/stream/400               | streamed error text",
      "/plain/send-error-bare/400      | The request is not valid.",
      "/plain/status/404               | No FHIR endpoint or resource exists at this address.",
      "/plain/big-html/400             | The request is not valid.",
      "/plain/status-after-write/400   | The request is not valid.",
      "/extra/send-error-internal/400  | The request is not valid.",
      "/extra/json-sql/409             | The request conflicts with the current state of the resource.",
  })
  void a_client_error_shows_the_original_message_when_safe_and_the_catalog_text_otherwise(
      String path, String expected) {
    HttpResponse<String> response = extra.get(path);
    OperationOutcome outcome = assertError(response, response.statusCode(), null);
    assertEquals(expected, diagnostics(outcome));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/plain/throw", "/plain/send-error/500", "/plain/json/503", "/plain/html/502",
      "/plain/text/503", "/plain/stream/500", "/plain/status-after-write/500",
      "/plain/send-error-bare/504", "/extra/text-secret/503"})
  void a_server_error_shows_only_the_generic_catalog_text_and_the_transaction_id(String path) {
    for (Ask ask : new Ask[] {Ask.DEFAULT, Ask.FORMAT_XML}) {
      HttpResponse<String> response = extra.get(ask.on(path), ask.headers);
      OperationOutcome outcome = assertError(response, response.statusCode(), null, ask.xml);
      ErrorCode code = ErrorCode.valueOf(Outcomes.catalogCoding(outcome.getIssueFirstRep()).getCode());
      assertTrue(response.statusCode() >= 500);
      assertEquals(code.defaultText() + " Transaction id: " + requestId(response),
          diagnostics(outcome));
      assertEquals(code.defaultText(), outcome.getIssueFirstRep().getDetails().getText());
    }
  }

  @Test
  void a_non_ascii_client_message_reaches_the_client_intact_in_json_and_xml() {
    for (Ask ask : new Ask[] {Ask.DEFAULT, Ask.FORMAT_XML}) {
      HttpResponse<String> response = extra.get(ask.on("/extra/send-error-unicode/400"));
      OperationOutcome outcome = assertError(response, 400, "INVALID_REQUEST", ask.xml);
      assertEquals(ExtraServlet.UNICODE_MESSAGE, diagnostics(outcome));
    }
  }

  @Test
  void an_application_that_took_the_writer_and_then_fails_with_a_client_error_still_gets_its_outcome() {
    // The servlet called getWriter() (text/plain, ISO-8859-1) and wrote while the status was 200,
    // then threw a HAPI InvalidRequestException with a non-ASCII message.
    // The writer's charset is fixed by then, so fhirguard sends pure ASCII with numeric escapes:
    // it reads the same in the declared charset and its Content-Length is exact.
    HttpResponse<String> response = extra.get("/extra/write-then-client-error");
    OperationOutcome outcome = assertError(response, 400, "INVALID_REQUEST");
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    assertTrue(response.body().chars().allMatch(c -> c < 0x80), response.body());
    assertEquals(ExtraServlet.UNICODE_MESSAGE, diagnostics(outcome));
  }

  @Test
  void a_long_client_message_is_cut_to_the_default_bound_of_300_characters() {
    OperationOutcome outcome =
        assertError(extra.get("/extra/send-error-long/400"), 400, "INVALID_REQUEST");
    String shown = diagnostics(outcome);
    assertTrue(shown.length() <= 300, () -> shown.length() + ": " + shown);
    assertTrue(shown.endsWith("..."), shown);
    assertTrue(ExtraServlet.LONG_MESSAGE.startsWith(shown.substring(0, shown.length() - 3)), shown);
  }

  @Test
  void the_diagnostics_bound_follows_the_max_diagnostics_length_setting() {
    try (TestServer tight = ExtraServlet.server(true,
        Map.of("fhirguard.outcome.max-diagnostics-length", "40")).start()) {
      OperationOutcome outcome =
          assertError(tight.get("/extra/send-error-long/400"), 400, "INVALID_REQUEST");
      String shown = diagnostics(outcome);
      assertTrue(shown.length() <= 40, () -> shown.length() + ": " + shown);
      assertTrue(shown.endsWith("..."), shown);
      // A message under the bound is untouched.
      assertEquals("Version conflict on Patient/1",
          diagnostics(assertError(tight.get("/plain/send-error/409"), 409, "CONFLICT")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/plain/send-error/409 | CONFLICT",
      "/plain/json/401       | AUTHENTICATION_REQUIRED",
      "/plain/html/400       | INVALID_REQUEST",
      "/plain/text/429       | TOO_MANY_REQUESTS",
  })
  void with_client_error_details_switched_off_a_client_error_shows_only_the_catalog_text(
      String path, String code) {
    HttpResponse<String> response = closed.get(path);
    OperationOutcome outcome = assertError(response, response.statusCode(), code);
    assertEquals(ErrorCode.valueOf(code).defaultText(), diagnostics(outcome));
  }

  @Test
  void the_code_system_setting_names_the_system_of_the_catalog_coding() {
    String system = "urn:example:errors";
    try (TestServer custom = TestServer.start(Map.of("fhirguard.outcome.code-system", system))) {
      OperationOutcome outcome = Outcomes.parse(custom.get("/plain/status/404"));
      assertEquals(system, outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getSystem());
      assertEquals("NOT_FOUND", outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    }
  }

  @Test
  void a_fhir_outcome_written_by_the_application_passes_through_untouched() {
    String original = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
        + "\"code\":\"business-rule\",\"diagnostics\":\"kept as is\"}]}";
    for (Ask ask : ASKS) {
      HttpResponse<String> response = server.get(ask.on("/plain/fhir-oo/422"), ask.headers);
      assertAll(
          () -> assertEquals(422, response.statusCode()),
          () -> assertEquals(original, response.body()),
          () -> assertEquals("application/fhir+json;charset=utf-8",
              contentType(response).toLowerCase().replace(" ", "")),
          () -> assertFalse(requestId(response).isBlank()));
    }
  }

  @Test
  void an_operation_outcome_sent_as_plain_application_json_is_kept() {
    HttpResponse<String> response = server.get("/plain/json-oo/422");
    assertEquals(422, response.statusCode());
    assertEquals("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
        + "\"code\":\"business-rule\",\"diagnostics\":\"kept too\"}]}", response.body());
    assertTrue(contentType(response).startsWith("application/json"), contentType(response));
  }

  @Test
  void a_failure_after_the_response_was_committed_leaves_the_partial_body_and_logs_one_error() {
    RawHttp.Response response;
    List<ILoggingEvent> errors;
    try (LogCapture logs = new LogCapture()) {
      // Raw, with Connection: close: the connection is aborted after the partial body (see
      // FaultToleranceTest), which java.net.http reports as an error.
      response = extra.rawGet("/plain/commit-then-throw");
      extra.completions().await("GET", "/plain/commit-then-throw");
      String id = response.header("X-Request-ID");
      errors = logs.at(Level.ERROR).stream()
          .filter(e -> id.equals(e.getMDCPropertyMap().get("requestId")))
          .collect(Collectors.toList());
      List<String> unattributed = logs.at(Level.ERROR).stream()
          .filter(e -> !e.getMDCPropertyMap().containsKey("requestId"))
          .map(LogCapture::render)
          .collect(Collectors.toList());
      assertEquals(List.of(), unattributed, "ERROR lines without the transaction id");
    }
    assertEquals(200, response.status());
    assertEquals("partial", response.body());
    assertTrue(response.header("Content-Type").startsWith("text/plain"), response::toString);
    assertEquals(1, errors.size(), () -> LogCapture.render(errors));
    assertTrue(errors.get(0).getFormattedMessage().contains("committed"),
        errors.get(0).getFormattedMessage());
  }

  @Test
  void an_exception_is_logged_exactly_once_at_error_with_the_transaction_id() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = extra.getAndAwait("/plain/throw");
      String id = requestId(response);
      List<ILoggingEvent> errors = logs.at(Level.ERROR);
      assertEquals(1, errors.size(), () -> LogCapture.render(errors));
      assertEquals(id, errors.get(0).getMDCPropertyMap().get("requestId"));
      // The log, not the client, gets the secret.
      assertTrue(LogCapture.render(errors.get(0)).contains(PlainServlet.SECRET_SQL));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/plain/send-error/204       | 204",
      "/plain/send-error-bare/304  | 304",
      "/plain/status/204           | 204",
      "/plain/status/304           | 304",
      "/extra/body-with-status/204 | 204",
      "/extra/body-with-status/304 | 304",
  })
  void no_content_and_not_modified_never_carry_a_body(String path, int status) {
    HttpResponse<String> response = extra.get(path);
    assertEquals(status, response.statusCode());
    assertEquals("", response.body());
    assertFalse(contentType(response).contains("fhir"), contentType(response));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/plain/ok", "/fhir/Patient/1", "/fhir/metadata"})
  void a_successful_response_passes_through_unchanged(String path) {
    HttpResponse<String> guarded = extra.get(path);
    HttpResponse<String> unguarded = bare.get(path);
    assertEquals(unguarded.statusCode(), guarded.statusCode());
    assertEquals(200, guarded.statusCode());
    assertEquals(contentType(unguarded), contentType(guarded));
    assertEquals(normalize(unguarded.body(), bare.port()), normalize(guarded.body(), extra.port()));
    assertFalse(requestId(guarded).isBlank());
  }

  /** Removes what legitimately differs between two servers: port, generated id, timestamp. */
  private static String normalize(String body, int port) {
    return body.replace(":" + port + "/", ":PORT/")
        .replaceAll("\"id\":\"[0-9a-f-]{36}\"", "\"id\":\"ID\"")
        .replaceAll("\"date\":\"[^\"]+\"", "\"date\":\"DATE\"");
  }

  @Test
  void a_valid_client_request_id_becomes_the_outcome_id() {
    HttpResponse<String> response =
        server.get("/plain/status/404", "X-Request-ID", "client-id.42");
    assertEquals("client-id.42", requestId(response));
    assertEquals("client-id.42", assertError(response, 404, "NOT_FOUND").getIdElement().getIdPart());
  }
}
