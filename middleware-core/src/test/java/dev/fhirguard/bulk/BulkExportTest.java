package dev.fhirguard.bulk;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.catalogCoding;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirguard.bulk.BulkExport.Manifest;
import dev.fhirguard.bulk.BulkExport.OutputFile;
import dev.fhirguard.testing.Ask;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Bulk Data answers of {@link BulkExport}, written by a servlet behind the filter and read
 * over real HTTP: parameter errors, job failures, polling failures, unknown jobs, the manifest and
 * the error-file lines.
 */
class BulkExportTest {

  private static final String INSTANT_PROBLEM =
      "not a valid FHIR instant (e.g. 2024-01-01T00:00:00Z)";
  private static final String SECRET =
      "java.sql.SQLException: connection to ehr-db-1.internal:5432 lost";
  private static final Instant KICKOFF = Instant.parse("2024-05-01T10:15:30.123456Z");

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = serverWith(Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestServer serverWith(Map<String, String> settings) {
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(settings));
    return TestServer.with(guard)
        .servlet("/bulk/*", new ExportAnswers(guard.bulkExport())).start();
  }

  // ---- kick-off parameter errors

  @Test
  void a_bad_since_is_a_400_invalid_that_names_the_parameter_and_echoes_the_value() {
    HttpResponse<String> response = server.get(parameterError("_since", "2024-13-01"));

    OperationOutcome outcome = assertError(response, 400, "EXPORT_PARAMETER_INVALID", false);
    assertEquals("invalid", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("_since: " + INSTANT_PROBLEM + "; got '2024-13-01'", diagnostics(outcome));
    assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"));
  }

  @Test
  void without_a_value_only_the_parameter_and_the_problem_are_shown() {
    OperationOutcome outcome = assertError(
        server.get("/bulk/parameter?name=Prefer&problem=" + enc("must be respond-async")),
        400, "EXPORT_PARAMETER_INVALID");

    assertEquals("Prefer: must be respond-async", diagnostics(outcome));
  }

  @Test
  void an_echoed_value_is_printable_ascii_and_cut_to_40_characters() {
    String value = "2024\r\nX-Forged: yes\u0000" + "\u00e9".repeat(3) + "9".repeat(200);

    String shown = diagnostics(assertError(
        server.get(parameterError("_since", value)), 400, "EXPORT_PARAMETER_INVALID"));

    String echoed = shown.substring(shown.indexOf("got '") + 5, shown.length() - 1);
    assertEquals("2024__X-Forged: yes____" + "9".repeat(17) + "...", echoed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "http://10.0.0.5:8080/admin",
      "ehr-db-1.internal:5432",
      "org.hibernate.Session",
  })
  void a_value_that_shows_internals_is_not_echoed(String value) {
    String shown = diagnostics(assertError(
        server.get(parameterError("_type", value)), 400, "EXPORT_PARAMETER_INVALID"));

    assertEquals("_type: " + INSTANT_PROBLEM, shown);
  }

  @Test
  void a_problem_text_that_shows_internals_becomes_a_plain_not_valid() {
    String problem = "java.time.format.DateTimeParseException: Text could not be parsed at index 4";

    String shown = diagnostics(assertError(
        server.get("/bulk/parameter?name=_since&problem=" + enc(problem)),
        400, "EXPORT_PARAMETER_INVALID"));

    assertEquals("_since: not a valid value", shown);
  }

  @Test
  void with_client_error_details_switched_off_only_the_catalog_text_is_shown() {
    try (TestServer quiet =
        serverWith(Map.of("fhirguard.outcome.expose-client-error-details", "false"))) {
      OperationOutcome outcome = assertError(
          quiet.get(parameterError("_since", "yesterday")), 400, "EXPORT_PARAMETER_INVALID");

      assertEquals(ErrorCode.EXPORT_PARAMETER_INVALID.defaultText(), diagnostics(outcome));
    }
  }

  // ---- kick-off parameters the server does not support (Bulk Data 2.0)

  private static final String SUPPORTED = "(it supports _elements, _outputFormat, _since, _type)";

  @Test
  void an_unsupported_parameter_is_a_400_that_names_it_and_what_is_supported() {
    HttpResponse<String> response =
        server.get("/bulk/kickoff?_type=Patient&includeAssociatedData=LatestProvenanceResources");

    OperationOutcome outcome = assertError(response, 400, "EXPORT_PARAMETER_UNSUPPORTED", false);
    assertEquals("invalid", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("includeAssociatedData: not supported by this server " + SUPPORTED
        + "; send Prefer: handling=lenient to have it ignored", diagnostics(outcome));
  }

  @Test
  void every_unsupported_parameter_is_named_once() {
    String shown = diagnostics(assertError(
        server.get("/bulk/kickoff?foo=bar&_typeFilter=x&foo=baz&_TYPE=Patient"), 400,
        "EXPORT_PARAMETER_UNSUPPORTED"));

    assertEquals("foo, _typeFilter, _TYPE: not supported by this server " + SUPPORTED
        + "; send Prefer: handling=lenient to have them ignored", shown);
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "?_type=Patient&_since=2024-01-01T00:00:00Z",
      "?_format=json&_pretty=true&_outputFormat=ndjson&_elements=id"})
  void supported_and_answer_shaping_parameters_pass(String query) {
    HttpResponse<String> response = server.get("/bulk/kickoff" + query);

    assertEquals(202, response.statusCode(), response.body());
    assertEquals("", response.body());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"handling=lenient", "respond-async, handling=lenient",
      "HANDLING=Lenient", "handling=\"lenient\"", "respond-async; wait=10, handling=lenient"})
  void with_handling_lenient_unsupported_parameters_are_ignored_and_reported(String prefer) {
    HttpResponse<String> response =
        server.get("/bulk/kickoff?_type=Patient&foo=bar&_typeFilter=Patient%3Factive%3Dtrue",
            "Prefer", prefer);

    assertEquals(202, response.statusCode(), response.body());
    String[] lines = response.body().split("\n");
    assertEquals(2, lines.length, response.body());
    OperationOutcome first = parseLine(lines[0]);
    assertEquals("warning", first.getIssueFirstRep().getSeverity().toCode());
    assertEquals("not-supported", first.getIssueFirstRep().getCode().toCode());
    assertEquals("EXPORT_PARAMETER_UNSUPPORTED",
        catalogCoding(first.getIssueFirstRep()).getCode());
    assertEquals("foo: not supported by this server; ignored (Prefer: handling=lenient)",
        diagnostics(first));
    assertTrue(diagnostics(parseLine(lines[1])).startsWith("_typeFilter: not supported"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"handling=strict", "respond-async", "lenient", "handling-lenient"})
  void any_other_preference_is_strict(String prefer) {
    assertError(server.get("/bulk/kickoff?foo=bar", "Prefer", prefer), 400,
        "EXPORT_PARAMETER_UNSUPPORTED");
  }

  @Test
  void a_name_with_control_characters_or_internals_is_shown_safely() {
    String shown = diagnostics(assertError(server.get("/bulk/kickoff?"
        + enc("a\r\nb") + "=1&" + enc("java.lang.NullPointerException") + "=1"), 400,
        "EXPORT_PARAMETER_UNSUPPORTED"));

    assertTrue(shown.startsWith("a__b, (a parameter): not supported"), shown);
  }

  @Test
  void a_server_that_declares_nothing_supports_the_parameters_every_server_must() {
    String shown = diagnostics(assertError(server.get("/bulk/kickoff-default?patient=Patient/1"),
        400, "EXPORT_PARAMETER_UNSUPPORTED"));

    assertEquals("patient: not supported by this server (it supports _outputFormat, _since,"
        + " _type); send Prefer: handling=lenient to have it ignored", shown);
    assertEquals(202, server.get("/bulk/kickoff-default?_type=Patient&_since=x&_outputFormat=y")
        .statusCode());
  }

  // ---- status URL answers

  @Test
  void a_wholly_failed_job_is_a_500_with_its_reason_and_the_transaction_id() {
    HttpResponse<String> response =
        server.get("/bulk/failed?reason=" + enc("Every requested type failed."));

    OperationOutcome outcome = assertError(response, 500, "EXPORT_JOB_FAILED", false);
    assertEquals("exception", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("The export job failed. Every requested type failed. Transaction id: "
        + Outcomes.requestId(response), diagnostics(outcome));
  }

  @Test
  void a_failure_reason_that_shows_internals_is_replaced_by_the_catalog_text() {
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = server.get("/bulk/failed?reason=" + enc(SECRET));

      OperationOutcome outcome = assertError(response, 500, "EXPORT_JOB_FAILED");
      assertEquals("The export job failed. Transaction id: " + Outcomes.requestId(response),
          diagnostics(outcome));
      assertNoneOf(response.body(), "sqlexception", "ehr-db-1", "5432", "java.");
      assertTrue(LogCapture.render(logs.events()).contains("EXPORT_JOB_FAILED"));
    }
  }

  @Test
  void a_polling_failure_is_a_503_transient_with_retry_after_in_whole_seconds() {
    HttpResponse<String> response = server.get("/bulk/unavailable?millis=1500");

    OperationOutcome outcome = assertError(response, 503, "EXPORT_STATUS_UNAVAILABLE", false);
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals("2", response.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(diagnostics(outcome).startsWith("The export status is temporarily unavailable; the"
        + " export job itself is not affected. Please retry after 2 seconds."), diagnostics(outcome));
  }

  @Test
  void an_unknown_job_is_a_404_not_found() {
    OperationOutcome outcome =
        assertError(server.get("/bulk/gone"), 404, "EXPORT_JOB_NOT_FOUND", false);

    assertEquals("not-found", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(ErrorCode.EXPORT_JOB_NOT_FOUND.defaultText(), diagnostics(outcome));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "/bulk/parameter?name=_since&value=x, ACCEPT_XML, 400, EXPORT_PARAMETER_INVALID",
      "/bulk/parameter?name=_since&value=x, FORMAT_XML, 400, EXPORT_PARAMETER_INVALID",
      "/bulk/failed?reason=broken, ACCEPT_XML, 500, EXPORT_JOB_FAILED",
      "/bulk/failed?reason=broken, FORMAT_JSON_BEATS_ACCEPT_XML, 500, EXPORT_JOB_FAILED",
      "/bulk/unavailable?millis=10, ACCEPT_RANKED_XML, 503, EXPORT_STATUS_UNAVAILABLE",
      "/bulk/gone, FORMAT_FHIR_XML_ENCODED, 404, EXPORT_JOB_NOT_FOUND",
      "/bulk/gone, ACCEPT_HTML, 404, EXPORT_JOB_NOT_FOUND",
  })
  void each_error_comes_in_the_negotiated_format(String path, Ask ask, int status, String code) {
    assertError(server.get(ask.on(path), ask.headers), status, code, ask.xml);
  }

  // ---- manifest

  @Test
  void the_manifest_is_json_with_every_field_of_bulk_data_2() throws Exception {
    HttpResponse<String> response = server.get("/bulk/manifest");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/json;charset=utf-8",
        Outcomes.contentType(response).toLowerCase(Locale.ROOT).replace(" ", ""));
    JsonNode manifest = new ObjectMapper().readTree(response.body());
    assertEquals("2024-05-01T10:15:30.123Z", manifest.get("transactionTime").asText());
    assertEquals("https://fhir.example.com/Group/123/$export?_type=Patient",
        manifest.get("request").asText());
    assertTrue(manifest.get("requiresAccessToken").asBoolean());
    JsonNode output = manifest.get("output");
    assertEquals(2, output.size());
    assertEquals("Patient", output.get(0).get("type").asText());
    assertEquals("https://fhir.example.com/files/1.ndjson", output.get(0).get("url").asText());
    assertEquals(3, output.get(0).get("count").asLong());
    assertFalse(output.get(1).has("count"), "no count when none is known");
    JsonNode error = manifest.get("error");
    assertEquals(1, error.size());
    assertEquals("OperationOutcome", error.get(0).get("type").asText());
    assertEquals("https://fhir.example.com/files/errors.ndjson", error.get(0).get("url").asText());
  }

  @Test
  void a_manifest_without_errors_still_has_an_empty_error_array() throws Exception {
    Manifest manifest = new Manifest(KICKOFF, "https://fhir.example.com/$export", false,
        List.of(), List.of());

    JsonNode json = new ObjectMapper().readTree(manifest.toJson());

    assertTrue(json.get("error").isArray() && json.get("error").isEmpty());
    assertTrue(json.get("output").isArray() && json.get("output").isEmpty());
    assertFalse(json.get("requiresAccessToken").asBoolean());
  }

  @Test
  void texts_in_the_manifest_are_escaped_as_json() throws Exception {
    Manifest manifest = new Manifest(KICKOFF, "https://x.example/$export?_type=\"a\"\n", true,
        List.of(new OutputFile("Patient", "https://x.example/f?a=1&b=\\", 1L)), List.of());

    JsonNode json = new ObjectMapper().readTree(manifest.toJson());

    assertEquals("https://x.example/$export?_type=\"a\"\n", json.get("request").asText());
    assertEquals("https://x.example/f?a=1&b=\\", json.get("output").get(0).get("url").asText());
  }

  @Test
  void a_file_needs_a_type_and_url_and_a_count_of_zero_or_more() {
    assertThrows(IllegalArgumentException.class, () -> new OutputFile(" ", "https://x/1", 1L));
    assertThrows(IllegalArgumentException.class, () -> new OutputFile("Patient", null, 1L));
    assertThrows(IllegalArgumentException.class, () -> new OutputFile("Patient", "https://x/1", -1L));
    assertThrows(IllegalArgumentException.class,
        () -> new Manifest(KICKOFF, "", true, List.of(), List.of()));
  }

  // ---- error-file lines

  @Test
  void error_lines_are_one_line_operation_outcomes_with_the_catalog_coding() {
    HttpResponse<String> response = server.get("/bulk/errors.ndjson");

    assertEquals(200, response.statusCode(), response.body());
    String[] lines = response.body().split("\n");
    assertEquals(2, lines.length, response.body());
    OperationOutcome first = parseLine(lines[0]);
    assertEquals(1, first.getIssue().size());
    assertEquals("error", first.getIssueFirstRep().getSeverity().toCode());
    assertEquals("incomplete", first.getIssueFirstRep().getCode().toCode());
    assertEquals("UPSTREAM_UNREACHABLE", catalogCoding(first.getIssueFirstRep()).getCode());
    assertEquals("Observation: the observation service could not be reached.",
        diagnostics(first));
    assertEquals("UPSTREAM_TIMEOUT", catalogCoding(parseLine(lines[1]).getIssueFirstRep()).getCode());
  }

  @Test
  void an_error_line_whose_text_shows_internals_gets_the_catalog_text_of_its_reason() {
    String line = server.guard().bulkExport().errorLine(ErrorCode.UPSTREAM_BAD_RESPONSE, SECRET);

    assertEquals(ErrorCode.UPSTREAM_BAD_RESPONSE.defaultText(), diagnostics(parseLine(line)));
    assertNoneOf(line, "sqlexception", "ehr-db-1", "5432", "\n");
  }

  // ---- logs

  @Test
  void a_value_with_line_breaks_cannot_forge_a_log_line() {
    try (LogCapture logs = new LogCapture()) {
      assertError(server.get(parameterError("_since", "x\r\nERROR forged entry")), 400,
          "EXPORT_PARAMETER_INVALID");

      List<String> lines = logs.events().stream().map(e -> e.getFormattedMessage()).toList();
      assertTrue(lines.stream().anyMatch(l -> l.contains("EXPORT_PARAMETER_INVALID")), lines::toString);
      assertTrue(lines.stream().noneMatch(l -> l.contains("\n") || l.contains("\r")),
          lines::toString);
    }
  }

  // ---- helpers

  private static String parameterError(String name, String value) {
    return "/bulk/parameter?name=" + enc(name) + "&value=" + enc(value)
        + "&problem=" + enc(INSTANT_PROBLEM);
  }

  private static OperationOutcome parseLine(String line) {
    assertFalse(line.contains("\n"), line);
    return Outcomes.fhir().newJsonParser().parseResource(OperationOutcome.class, line);
  }

  private static void assertNoneOf(String text, String... secrets) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String secret : secrets) {
      assertFalse(lower.contains(secret), () -> "'" + secret + "' leaked: " + text);
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Each path answers with one {@link BulkExport} answer. */
  private static final class ExportAnswers extends HttpServlet {

    private final transient BulkExport export;

    ExportAnswers(BulkExport export) {
      this.export = export;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      switch (request.getPathInfo()) {
        case "/parameter" -> export.invalidParameter(request, response,
            request.getParameter("name"), request.getParameter("value"),
            request.getParameter("problem"));
        case "/failed" -> export.jobFailed(request, response, request.getParameter("reason"));
        case "/unavailable" -> export.statusUnavailable(request, response,
            Duration.ofMillis(Long.parseLong(request.getParameter("millis"))));
        case "/gone" -> export.jobNotFound(request, response);
        case "/kickoff" -> kickoff(export.supporting("_type", "_since", "_outputFormat",
            "_elements"), request, response);
        case "/kickoff-default" -> kickoff(export, request, response);
        case "/manifest" -> export.sendManifest(response, new Manifest(KICKOFF,
            "https://fhir.example.com/Group/123/$export?_type=Patient", true,
            List.of(new OutputFile("Patient", "https://fhir.example.com/files/1.ndjson", 3L),
                new OutputFile("Observation", "https://fhir.example.com/files/2.ndjson", null)),
            List.of(OutputFile.errors("https://fhir.example.com/files/errors.ndjson", 1L))));
        case "/errors.ndjson" -> {
          response.setContentType("application/fhir+ndjson");
          response.getWriter().write(export.errorLine(ErrorCode.UPSTREAM_UNREACHABLE,
              "Observation: the observation service could not be reached.") + "\n"
              + export.errorLine(ErrorCode.UPSTREAM_TIMEOUT, "Observation: timed out.") + "\n");
        }
        default -> response.sendError(404);
      }
    }

    /** 202 with the error-file lines of the ignored parameters, unless refused. */
    private static void kickoff(BulkExport export, HttpServletRequest request,
        HttpServletResponse response) throws IOException {
      BulkExport.ParameterCheck check =
          export.checkParameters(request, response, request.getParameterMap().keySet());
      if (!check.refused()) {
        response.setStatus(202);
        response.setContentType("application/fhir+ndjson");
        response.getWriter().write(String.join("\n", check.errorLines()));
      }
    }
  }
}
