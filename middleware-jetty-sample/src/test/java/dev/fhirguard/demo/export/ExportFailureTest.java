package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.assertNothingInternal;
import static dev.fhirguard.demo.export.ExportSample.diagnostics;
import static dev.fhirguard.demo.export.ExportSample.header;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exports whose Observation part fails because the real backend is down: a partial failure
 * completes with an {@code error} file of OperationOutcomes, a total failure answers its status URL
 * with 500 {@code EXPORT_JOB_FAILED}; neither shows the backend's address or an exception.
 */
class ExportFailureTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample();

  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void backendUp() {
    sample.backend("up");
  }

  @Test
  void a_partly_failed_export_completes_with_an_error_file_of_operation_outcomes()
      throws Exception {
    sample.backend("down");
    String status = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));

    JsonNode manifest = JSON.readTree(sample.finished(status).body());

    assertEquals(2, manifest.get("output").size(), manifest.toString());
    assertEquals("Patient", manifest.get("output").get(0).get("type").asText());
    assertEquals("Group", manifest.get("output").get(1).get("type").asText());
    JsonNode error = manifest.get("error");
    assertEquals(1, error.size(), manifest.toString());
    assertEquals("OperationOutcome", error.get(0).get("type").asText());
    assertEquals(1, error.get(0).get("count").asLong());
    HttpResponse<String> file = sample.get(error.get(0).get("url").asText(), sample.exporter());
    assertEquals(200, file.statusCode(), file.body());
    assertEquals("application/fhir+ndjson", header(file, "Content-Type"));
    assertNothingInternal(file.body());
    String[] lines = file.body().split("\n");
    assertEquals(1, lines.length, file.body());
    OperationOutcome line = FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, lines[0]);
    assertEquals("error", line.getIssueFirstRep().getSeverity().toCode());
    assertEquals("incomplete", line.getIssueFirstRep().getCode().toCode());
    assertEquals("UPSTREAM_UNREACHABLE",
        line.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    assertEquals("Observation resources were not exported: an upstream service could not be"
        + " reached. Retry later.", diagnostics(line));
  }

  @Test
  void an_export_whose_every_type_failed_answers_500_export_job_failed() {
    sample.backend("down");
    String status =
        sample.started(sample.kickoff("/fhir/Patient/$export?_type=Observation", sample.exporter()));
    sample.run();

    HttpResponse<String> failed = sample.get(status, sample.exporter());

    OperationOutcome outcome = outcome(failed, 500, "EXPORT_JOB_FAILED");
    assertEquals("exception", outcome.getIssueFirstRep().getCode().toCode());
    assertTrue(diagnostics(outcome).startsWith("The export job failed. None of the requested types"
        + " could be exported (Observation: UPSTREAM_UNREACHABLE). Transaction id: "),
        diagnostics(outcome));
    // The 500 ended the job for fhirguard's export limit: the next kick-off is accepted.
    sample.backend("up");
    sample.finished(sample.started(sample.kickoff("/fhir/$export?_type=Observation",
        sample.exporter())));
  }

  @Test
  void an_unknown_group_is_404_and_starts_no_job() {
    outcome(sample.kickoff("/fhir/Group/999/$export", sample.exporter()), 404,
        "RESOURCE_NOT_FOUND");

    sample.finished(sample.started(sample.kickoff("/fhir/Group/1/$export", sample.exporter())));
  }
}
