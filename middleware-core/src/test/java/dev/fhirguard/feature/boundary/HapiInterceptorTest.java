package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.catalogCoding;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.ExtraServlet;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The HAPI layer: HAPI's own error outcomes, decorated by the fhirguard interceptor. */
class HapiInterceptorTest {

  private static final String TXID = "<generic text and transaction id>";

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  @RegisterExtension
  static final TestServer extra = ExtraServlet.server(true, Map.of()).perClass();
  @RegisterExtension
  static final TestServer closed =
      TestServer.perClass(Map.of("fhirguard.outcome.expose-client-error-details", "false"));

  /** A HAPI error: method, path, status, catalog code, a text the diagnostics must contain. */
  record HapiError(String method, String path, int status, String code, String shows) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<HapiError> hapiErrors() {
    return List.of(
        new HapiError("GET", "/fhir/Patient/999", 404, "RESOURCE_NOT_FOUND", "Patient/999"),
        // an id holding a word the leak filter looks for is still just an id
        new HapiError("GET", "/fhir/Patient/sql-error", 404, "RESOURCE_NOT_FOUND",
            "Patient/sql-error"),
        new HapiError("GET", "/fhir/Foo/1", 404, "UNKNOWN_RESOURCE_TYPE", "'Foo'"),
        new HapiError("GET", "/fhir/Patient?foo=bar", 400, "INVALID_SEARCH_PARAMETER", "foo"),
        // the same client mistake as a JPA server words it
        new HapiError("GET", "/fhir/Patient/jpa-unknown-parameter", 400,
            "INVALID_SEARCH_PARAMETER", "Unknown search parameter \"foo\""),
        new HapiError("GET", "/fhir/Patient?birthdate=2021-13-45", 400, "INVALID_PARAMETER_VALUE",
            "2021-13-45"),
        new HapiError("PATCH", "/fhir/Patient/1", 405, "METHOD_NOT_ALLOWED", "PATCH"),
        new HapiError("PUT", "/fhir/Patient/1", 405, "METHOD_NOT_ALLOWED", "PUT"),
        new HapiError("DELETE", "/fhir/Patient/1", 405, "METHOD_NOT_ALLOWED", "DELETE"),
        new HapiError("GET", "/fhir/Patient/1/$bogus", 400, "UNSUPPORTED_OPERATION", "$bogus"),
        new HapiError("POST", "/fhir/Patient", 400, "INVALID_RESOURCE", "parse"),
        new HapiError("GET", "/fhir/Patient/gone", 410, "RESOURCE_DELETED",
            "Patient/gone has been deleted"),
        new HapiError("GET", "/fhir/Patient/conflict", 409, "CONFLICT",
            "Patient/conflict was changed by someone else"),
        new HapiError("GET", "/fhir/Patient/precondition", 412, "PRECONDITION_FAILED",
            "Version 3 does not match If-Match W/\"2\""),
        new HapiError("GET", "/fhir/Patient/unprocessable", 422, "UNPROCESSABLE_ENTITY",
            "Patient.birthDate must not be in the future"),
        new HapiError("GET", "/fhir/Patient/notimplemented", 501, "NOT_IMPLEMENTED", TXID),
        new HapiError("GET", "/fhir/Patient/forbidden", 403, "FORBIDDEN",
            "Access denied by rule: Deny all"),
        new HapiError("GET", "/fhir/Patient/unauthenticated", 401, "AUTHENTICATION_REQUIRED",
            "Missing or invalid credentials"),
        new HapiError("GET", "/fhir/Patient/sql", 500, "INTERNAL_ERROR", TXID),
        new HapiError("GET", "/fhir/Patient/internal", 500, "INTERNAL_ERROR", TXID),
        new HapiError("GET", "/fhir/Patient/npe", 500, "INTERNAL_ERROR", TXID));
  }

  /** The ways of asking for a format that every HAPI error is tried with. */
  static final List<Ask> ASKS = List.of(Ask.DEFAULT, Ask.FORMAT_XML, Ask.FORMAT_FHIR_XML_ENCODED,
      Ask.ACCEPT_XML, Ask.ACCEPT_RANKED_XML, Ask.FORMAT_JSON_BEATS_ACCEPT_XML, Ask.ACCEPT_HTML);

  static Stream<Arguments> hapiErrorsAsked() {
    return hapiErrors().stream()
        .flatMap(error -> ASKS.stream().map(ask -> Arguments.of(error, ask)));
  }

  static HttpResponse<String> send(TestServer target, HapiError error, Ask ask) {
    String path = ask.on(error.path());
    String body = null;
    String[] headers = ask.headers;
    if ("POST".equals(error.method())) {
      body = "{bad json";
      headers = Stream.concat(Stream.of(headers), Stream.of("Content-Type", "application/fhir+json"))
          .toArray(String[]::new);
    }
    return target.send(error.method(), path, body, headers);
  }

  @ParameterizedTest(name = "{0} asked {1}")
  @MethodSource("hapiErrorsAsked")
  void every_hapi_error_carries_the_catalog_code_issue_type_and_transaction_id(
      HapiError error, Ask ask) {
    HttpResponse<String> response = send(server, error, ask);
    OperationOutcome outcome = assertError(response, error.status(), error.code(), ask.xml);
    String shown = diagnostics(outcome);
    if (TXID.equals(error.shows())) {
      assertEquals(ErrorCode.valueOf(error.code()).defaultText() + " Transaction id: "
          + requestId(response), shown);
    } else {
      assertTrue(shown != null && shown.contains(error.shows()),
          () -> "diagnostics should show '" + error.shows() + "': " + shown);
    }
    assertEquals(ErrorCode.valueOf(error.code()).defaultText(),
        outcome.getIssueFirstRep().getDetails().getText());
  }

  @ParameterizedTest(name = "{0}: {2} on {1}")
  @CsvSource(delimiter = '|', value = {
      // trigger            | status | issue code    | catalog code
      "invalid-on-422       | 422    | processing    | UNPROCESSABLE_ENTITY",
      "business-rule-on-422 | 422    | business-rule | UNPROCESSABLE_ENTITY",
      "duplicate-on-409     | 409    | conflict      | CONFLICT",
      "required-on-400      | 400    | required      | INVALID_REQUEST",
      "processing-on-400    | 400    | invalid       | INVALID_REQUEST",
      "security-on-403      | 403    | forbidden     | FORBIDDEN",
      "deleted-on-404       | 404    | deleted       | RESOURCE_NOT_FOUND",
  })
  void an_issue_code_is_kept_when_it_fits_the_status_and_replaced_when_it_does_not(
      String trigger, int status, String issueCode, String code) {
    HttpResponse<String> response = extra.get("/efhir/Observation/" + trigger);
    OperationOutcome outcome = assertError(response, status, code);
    assertEquals(issueCode, outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(1, outcome.getIssue().size());
  }

  @Test
  void the_catalog_coding_goes_on_the_first_error_issue_not_on_a_warning_before_it() {
    HttpResponse<String> response = extra.get("/efhir/Observation/warning-first-400");
    assertEquals(400, response.statusCode());
    OperationOutcome outcome = Outcomes.parse(response);
    assertEquals(2, outcome.getIssue().size(), response.body());
    OperationOutcomeIssueComponent warning = outcome.getIssue().get(0);
    OperationOutcomeIssueComponent error = outcome.getIssue().get(1);
    assertAll(
        () -> assertEquals("warning", warning.getSeverity().toCode()),
        () -> assertEquals("informational", warning.getCode().toCode(), "a warning keeps its code"),
        () -> assertEquals("just a hint", warning.getDiagnostics()),
        () -> assertEquals("invalid", error.getCode().toCode()),
        () -> assertEquals("Observation.code is missing", error.getDiagnostics()),
        () -> assertNotNull(catalogCoding(error),
            () -> "the error issue has no catalog coding: " + response.body()),
        () -> assertNull(catalogCoding(warning),
            () -> "the catalog coding of a 400 was put on a warning: " + response.body()));
  }

  @Test
  void an_application_issue_with_its_own_details_keeps_them_and_gains_the_catalog_coding() {
    HttpResponse<String> response = extra.get("/efhir/Observation/details-400");
    assertEquals(400, response.statusCode());
    OperationOutcome outcome = Outcomes.parse(response);
    OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertTrue(issue.getDetails().getCoding().stream()
        .anyMatch(c -> "http://example.org/app-codes".equals(c.getSystem())
            && "BAD_STATUS".equals(c.getCode())), "the application's coding is kept");
    assertEquals("value", issue.getCode().toCode());
    Coding catalog = catalogCoding(issue);
    assertNotNull(catalog, () -> "no catalog coding on a 400 outcome: " + response.body());
    assertEquals("INVALID_REQUEST", catalog.getCode());
  }

  @Test
  void a_server_error_outcome_built_by_the_application_is_replaced_by_the_generic_one() {
    HttpResponse<String> response = extra.get("/efhir/Observation/sql-outcome-500");
    OperationOutcome outcome = assertError(response, 500, "INTERNAL_ERROR");
    assertEquals(1, outcome.getIssue().size());
    assertEquals(ErrorCode.INTERNAL_ERROR.defaultText() + " Transaction id: " + requestId(response),
        diagnostics(outcome));
  }

  @Test
  void a_client_error_message_that_shows_internals_is_replaced_by_the_catalog_text() {
    OperationOutcome outcome =
        assertError(extra.get("/efhir/Observation/internal-400"), 400, "INVALID_REQUEST");
    assertEquals(ErrorCode.INVALID_REQUEST.defaultText(), diagnostics(outcome));
  }

  @Test
  void a_long_client_error_message_is_bounded_to_300_characters() {
    String shown = diagnostics(
        assertError(extra.get("/efhir/Observation/long-400"), 400, "INVALID_REQUEST"));
    assertTrue(shown.length() <= 300 && shown.endsWith("..."), () -> shown.length() + ": " + shown);
  }

  @Test
  void a_non_ascii_client_error_message_is_kept_intact_in_json_and_xml() {
    for (String query : new String[] {"", "?_format=xml"}) {
      OperationOutcome outcome = assertError(
          extra.get("/efhir/Observation/unicode-400" + query), 400, "INVALID_REQUEST",
          !query.isEmpty());
      assertEquals(ExtraServlet.UNICODE_MESSAGE, diagnostics(outcome));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/fhir/Patient/gone          | RESOURCE_DELETED",
      "/fhir/Patient/forbidden     | FORBIDDEN",
      "/fhir/Patient?foo=bar       | INVALID_SEARCH_PARAMETER",
      "/fhir/Patient/unprocessable | UNPROCESSABLE_ENTITY",
  })
  void with_client_error_details_switched_off_hapi_client_errors_show_only_the_catalog_text(
      String path, String code) {
    HttpResponse<String> response = closed.get(path);
    OperationOutcome outcome = assertError(response, ErrorCode.valueOf(code).status(), code);
    assertEquals(ErrorCode.valueOf(code).defaultText(), diagnostics(outcome));
  }

  @Test
  void hapi_diagnostics_follow_the_max_diagnostics_length_setting() {
    try (TestServer tight =
        TestServer.start(Map.of("fhirguard.outcome.max-diagnostics-length", "40"))) {
      String shown = diagnostics(
          assertError(tight.get("/fhir/Patient?foo=bar"), 400, "INVALID_SEARCH_PARAMETER"));
      assertTrue(shown.length() <= 40 && shown.endsWith("..."), () -> shown.length() + ": " + shown);
    }
  }

  @Test
  void a_hapi_server_error_is_logged_once_at_error_with_the_transaction_id() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = extra.getAndAwait("/fhir/Patient/sql");
      List<ILoggingEvent> errors = logs.at(Level.ERROR);
      assertEquals(1, errors.size(), () -> LogCapture.render(errors));
      assertEquals(requestId(response), errors.get(0).getMDCPropertyMap().get("requestId"));
    }
  }

  @Test
  void a_hapi_client_error_is_not_logged_as_an_error() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = extra.getAndAwait("/fhir/Patient/gone");
      assertEquals(410, response.statusCode());
      assertEquals(List.of(), logs.events().stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(LogCapture::render)
          .collect(Collectors.toList()));
      assertTrue(logs.events().stream().anyMatch(e -> e.getLoggerName().equals("dev.fhirguard.errors")
          && requestId(response).equals(e.getMDCPropertyMap().get("requestId"))));
    }
  }

  @Test
  void a_valid_client_request_id_becomes_the_id_of_a_hapi_outcome() {
    HttpResponse<String> response = server.get("/fhir/Patient/999", "X-Request-ID", "trace.7-x");
    assertEquals("trace.7-x", requestId(response));
    assertEquals("trace.7-x",
        assertError(response, 404, "RESOURCE_NOT_FOUND").getIdElement().getIdPart());
  }
}
