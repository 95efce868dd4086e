package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.header;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Bulk Data 2.0 export from kick-off to download, over real HTTP with real tokens from the
 * sample's token endpoint: the {@code bulk-exporter} client ({@code system/*.rs}) kicks off,
 * polls, downloads and cancels through fhirguard's authentication, scope check and export limits.
 */
class ExportFlowTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample();

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "GET  | /fhir/$export                          |                    | Patient,Observation,Group",
      "POST | /fhir/$export                          | Patient            | Patient",
      "GET  | /fhir/Patient/$export?_type=Observation |                    | Observation",
      "POST | /fhir/Patient/$export                  |                    | Patient,Observation",
      "GET  | /fhir/Group/1/$export                  |                    | Patient,Observation",
      "POST | /fhir/Group/1/$export                  | Observation,Patient | Observation,Patient",
  })
  void a_kickoff_is_202_then_in_progress_then_a_manifest_whose_files_download(
      String method, String path, String bodyTypes, String expectedTypes) throws Exception {
    List<String> types = Arrays.asList(expectedTypes.split(","));
    sample.hold();
    HttpResponse<String> kickoff = method.equals("GET")
        ? sample.kickoff(path, sample.exporter())
        : bodyTypes == null ? sample.kickoffPost(path, sample.exporter())
            : sample.kickoffPost(path, sample.exporter(), "_type", bodyTypes);
    String status = sample.started(kickoff);

    HttpResponse<String> running = sample.get(status, sample.exporter());
    assertEquals(202, running.statusCode(), running.body());
    assertEquals("in progress: 0 of " + types.size() + (types.size() == 1 ? " type" : " types"),
        header(running, "X-Progress"));
    assertEquals("2", header(running, "Retry-After"));

    HttpResponse<String> done = sample.finished(status);
    assertTrue(header(done, "Content-Type").startsWith("application/json"), header(done, "Content-Type"));
    assertNotNull(header(done, "Expires"));
    JsonNode manifest = JSON.readTree(done.body());
    assertEquals(sample.root() + path, manifest.get("request").asText());
    assertTrue(manifest.get("requiresAccessToken").asBoolean());
    assertTrue(manifest.get("error").isArray() && manifest.get("error").isEmpty(), done.body());
    Instant.parse(manifest.get("transactionTime").asText());
    List<String> exported = new ArrayList<>();
    for (JsonNode file : manifest.get("output")) {
      exported.add(file.get("type").asText());
      List<IBaseResource> lines = download(file.get("url").asText(), sample.exporter());
      assertEquals(file.get("count").asLong(), lines.size(), file.toString());
      for (IBaseResource resource : lines) {
        assertEquals(file.get("type").asText(), resource.fhirType());
      }
    }
    assertEquals(types, exported);
  }

  @Test
  void a_group_export_has_only_the_groups_members_and_observations_about_them() throws Exception {
    String status = sample.started(sample.kickoff("/fhir/Group/1/$export", sample.exporter()));

    JsonNode output = JSON.readTree(sample.finished(status).body()).get("output");

    List<String> patients = new ArrayList<>();
    for (IBaseResource patient : download(output.get(0).get("url").asText(), sample.exporter())) {
      patients.add(patient.getIdElement().toUnqualifiedVersionless().getValue());
    }
    assertEquals(List.of("Patient/1", "Patient/2", "Patient/3"), patients);
    for (IBaseResource line : download(output.get(1).get("url").asText(), sample.exporter())) {
      assertTrue(patients.contains(((Observation) line).getSubject().getReference()));
    }
  }

  @Test
  void files_need_the_token_and_belong_to_the_client_that_started_the_export() throws Exception {
    String status = sample.started(sample.kickoff("/fhir/$export?_type=Patient", sample.exporter()));
    String file = JSON.readTree(sample.finished(status).body())
        .get("output").get(0).get("url").asText();

    HttpResponse<String> owner = sample.get(file, sample.exporter());
    assertEquals(200, owner.statusCode());
    assertEquals("application/fhir+ndjson", header(owner, "Content-Type"));
    outcome(sample.get(file, null), 401, "TOKEN_MISSING");
    String other = sample.tokenOf("admin", "admin-secret");
    outcome(sample.get(file, other), 404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.get(status, other), 404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.delete(status, other), 404, "EXPORT_JOB_NOT_FOUND");
    assertEquals(200, sample.get(status, sample.exporter()).statusCode(), "still the owner's");
    outcome(sample.get(file.replaceAll("/[^/]+$", "/9.ndjson"), sample.exporter()), 404,
        "NOT_FOUND");
  }

  @Test
  void a_cancelled_export_is_202_and_then_404_for_its_status_and_its_files() {
    sample.hold();
    String status = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));

    HttpResponse<String> cancelled = sample.delete(status, sample.exporter());
    sample.run();

    assertEquals(202, cancelled.statusCode(), cancelled.body());
    outcome(sample.get(status, sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.delete(status, sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
    String nextStatus = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));
    sample.finished(nextStatus); // the client's export slot was freed by the cancel
  }

  @Test
  void deleting_a_completed_export_deletes_its_files() throws Exception {
    String status = sample.started(sample.kickoff("/fhir/$export?_type=Patient", sample.exporter()));
    String file = JSON.readTree(sample.finished(status).body())
        .get("output").get(0).get("url").asText();

    assertEquals(202, sample.delete(status, sample.exporter()).statusCode());

    outcome(sample.get(file, sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
  }

  @Test
  void since_exports_only_what_changed_at_or_after_the_instant() throws Exception {
    String admin = sample.tokenOf("admin", "admin-secret");
    String id = "since-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> put = sample.send("PUT", "/fhir/Patient/" + id, admin,
        "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":true}");
    assertEquals(201, put.statusCode(), put.body());
    String updated = FhirContext.forR4Cached().newJsonParser()
        .parseResource(Patient.class, put.body()).getMeta().getLastUpdatedElement()
        .getValueAsString();

    String status = sample.started(sample.kickoff("/fhir/$export?_type=Patient,Observation&_since="
        + URLEncoder.encode(updated, StandardCharsets.UTF_8), sample.exporter()));
    JsonNode output = JSON.readTree(sample.finished(status).body()).get("output");

    assertEquals(1, output.size(), output.toString());
    List<IBaseResource> patients = download(output.get(0).get("url").asText(), sample.exporter());
    assertEquals(List.of("Patient/" + id),
        patients.stream().map(p -> p.getIdElement().toUnqualifiedVersionless().getValue()).toList());
  }

  @Test
  void unknown_or_missing_job_ids_are_404() {
    outcome(sample.get(sample.root() + "/fhir/$export-poll-status?_jobId=nope", sample.exporter()),
        404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.get(sample.root() + "/fhir/$export-poll-status", sample.exporter()),
        404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.get(sample.root() + "/fhir/$export-file/nope/1.ndjson", sample.exporter()),
        404, "EXPORT_JOB_NOT_FOUND");
  }

  @Test
  void a_status_url_with_other_parameters_is_not_the_jobs() {
    String status = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));
    sample.finished(status);
    outcome(sample.get(status + "&x=1", sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
    outcome(sample.get(status.replace("?", "?x=1&"), sample.exporter()), 404,
        "EXPORT_JOB_NOT_FOUND");
    assertEquals(200, sample.get(status, sample.exporter()).statusCode());
  }

  /** HAPI's generic client adds _format to every URL it fetches, the status URL included. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"&_format=json", "&_format=application/fhir%2Bxml&_pretty=true",
      "&_pretty=false"})
  void the_status_url_with_format_or_pretty_added_is_the_same_job(String added) {
    sample.hold();
    String status = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));

    HttpResponse<String> running = sample.get(status + added, sample.exporter());
    assertEquals(202, running.statusCode(), running.body());
    sample.run();
    HttpResponse<String> done = sample.get(status.replace("$", "%24") + added, sample.exporter());
    assertEquals(200, done.statusCode(), done.body());
    assertEquals(202, sample.delete(status + added, sample.exporter()).statusCode());
    outcome(sample.get(status, sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
  }

  @Test
  void the_status_url_refuses_other_methods_with_405() {
    outcome(sample.send("PUT", "/fhir/$export-poll-status?_jobId=x", sample.exporter(), "{}"),
        405, "METHOD_NOT_ALLOWED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/$export-poll-status?_jobId=x", "/fhir/$export-file/x/1.ndjson"})
  void trace_is_refused_by_fhirguard_and_never_echoes_the_bearer_token(String path) {
    HttpResponse<String> traced = sample.send("TRACE", path, sample.exporter(), null);

    assertFalse(traced.body().contains(sample.exporter()), "the token was echoed: " + traced.body());
    outcome(traced, 405, "METHOD_NOT_ALLOWED");
  }

  /** The lines of an NDJSON file, each parsed as a FHIR resource. */
  private static List<IBaseResource> download(String url, String token) {
    HttpResponse<String> file = sample.get(url, token);
    assertEquals(200, file.statusCode(), file.body());
    assertEquals("application/fhir+ndjson", header(file, "Content-Type"));
    assertTrue(file.body().isEmpty() || file.body().endsWith("\n"));
    List<IBaseResource> resources = new ArrayList<>();
    for (String line : file.body().split("\n")) {
      assertFalse(line.isBlank(), file.body());
      resources.add(FhirContext.forR4Cached().newJsonParser().parseResource(line));
    }
    return resources;
  }
}
