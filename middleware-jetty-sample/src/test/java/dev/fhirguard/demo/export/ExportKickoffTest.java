package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.diagnostics;
import static dev.fhirguard.demo.export.ExportSample.header;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kick-offs the sample refuses: each bad parameter (and a missing {@code Prefer: respond-async})
 * is a 400 {@code invalid} naming it, and a client without read scopes is refused by fhirguard
 * before any job starts. Every refusal frees the client's export slot.
 */
class ExportKickoffTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample();

  private static final String INSTANT_PROBLEM =
      "not a valid FHIR instant (e.g. 2024-01-01T00:00:00Z)";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/fhir/$export?_outputFormat=text/csv | _outputFormat: not supported; use application/fhir+ndjson; got 'text/csv'",
      "/fhir/$export?_since=2024-13-01T00:00:00Z | _since: " + INSTANT_PROBLEM + "; got '2024-13-01T00:00:00Z'",
      "/fhir/$export?_since=2024-01-01 | _since: " + INSTANT_PROBLEM + "; got '2024-01-01'",
      "/fhir/$export?_since=2024-01-01T00:00:00Z&_since=2024-02-01T00:00:00Z | _since: given more than once",
      "/fhir/$export?_type=Patient,Foo | _type: not a resource type this export includes (Patient, Observation, Group); got 'Foo'",
      "/fhir/$export?_type=Patient,, | _type: not a resource type this export includes (Patient, Observation, Group); got ''",
      "/fhir/Patient/$export?_type=Group | _type: not a resource type this export includes (Patient, Observation); got 'Group'",
      "/fhir/Group/1/$export?_outputFormat=application/fhir%2Bjson | _outputFormat: not supported; use application/fhir+ndjson; got 'application/fhir+json'",
  })
  void a_bad_parameter_is_a_400_invalid_that_names_it(String path, String expected) {
    OperationOutcome outcome =
        outcome(sample.kickoff(path, sample.exporter()), 400, "EXPORT_PARAMETER_INVALID");

    assertEquals("invalid", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(expected, diagnostics(outcome));
  }

  @Test
  void a_bad_parameter_in_a_post_body_is_refused_the_same_way() {
    OperationOutcome outcome = outcome(sample.kickoffPost("/fhir/Patient/$export",
        sample.exporter(), "_since", "last tuesday"), 400, "EXPORT_PARAMETER_INVALID");

    assertEquals("_since: " + INSTANT_PROBLEM + "; got 'last tuesday'", diagnostics(outcome));
  }

  @Test
  void a_kickoff_without_prefer_respond_async_is_a_400_naming_the_header() {
    HttpResponse<String> response =
        sample.get(sample.root() + "/fhir/$export", sample.exporter());

    OperationOutcome outcome = outcome(response, 400, "EXPORT_PARAMETER_INVALID");
    assertEquals("Prefer: the header must be respond-async: this server runs exports"
        + " asynchronously only", diagnostics(outcome));
  }

  @Test
  void a_parameter_error_comes_as_xml_when_the_client_asks_for_xml() {
    HttpResponse<String> response = sample.get(sample.root() + "/fhir/$export?_type=Foo",
        sample.exporter(), "Prefer", "respond-async", "Accept", "application/fhir+xml");

    assertEquals(400, response.statusCode());
    assertTrue(header(response, "Content-Type").startsWith("application/fhir+xml"));
    assertTrue(response.body().contains("EXPORT_PARAMETER_INVALID"), response.body());
    assertTrue(response.body().contains("_type: not a resource type"), response.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/fhir/$export?_outputFormat=application%2Ffhir%2Bndjson",
      "/fhir/$export?_outputFormat=application/fhir+ndjson",
      "/fhir/$export?_outputFormat=application/ndjson",
      "/fhir/$export?_outputFormat=ndjson",
      "/fhir/$export?_since=2024-01-01T00:00:00.5+01:00&_type=Observation",
  })
  void ndjson_formats_and_instants_with_an_offset_are_accepted(String path) {
    sample.finished(sample.started(sample.kickoff(path, sample.exporter())));
  }

  @Test
  void prefer_may_list_other_preferences() {
    HttpResponse<String> kickoff = sample.get(sample.root() + "/fhir/$export?_type=Group",
        sample.exporter(), "Prefer", "handling=lenient, respond-async");

    sample.finished(sample.started(kickoff));
  }

  @Test
  void a_client_without_read_and_search_on_every_type_is_refused_before_a_job_starts()
      throws Exception {
    String patientReader = sample.tokenOf("patient-reader", "patient-reader-secret");

    HttpResponse<String> refused = sample.kickoff("/fhir/$export", patientReader);

    OperationOutcome outcome = outcome(refused, 403, "SCOPE_INSUFFICIENT");
    assertTrue(header(refused, "WWW-Authenticate").contains("error=\"insufficient_scope\""));
    assertTrue(diagnostics(outcome).contains("system/*.r"), diagnostics(outcome));
  }

  @Test
  void a_refused_kickoff_leaves_the_clients_export_slot_free() {
    outcome(sample.kickoff("/fhir/$export?_type=Foo", sample.exporter()), 400,
        "EXPORT_PARAMETER_INVALID");

    sample.finished(sample.started(sample.kickoff("/fhir/$export", sample.exporter())));
  }
}
