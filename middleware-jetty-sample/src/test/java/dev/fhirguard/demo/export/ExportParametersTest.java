package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.diagnostics;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kick-off parameters the sample does not support (Bulk Data 2.0): refused, 400 naming them,
 * unless the client sent {@code Prefer: handling=lenient}, then ignored and reported in the
 * manifest's error file; and {@code _elements}, which the sample does support.
 */
class ExportParametersTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUPPORTED =
      " not supported by this server (it supports _elements, _outputFormat, _since, _type)";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/fhir/$export?includeAssociatedData=LatestProvenanceResources | includeAssociatedData",
      "/fhir/$export?_type=Patient&foo=bar | foo",
      "/fhir/Patient/$export?_typeFilter=Patient%3Factive%3Dtrue | _typeFilter",
      "/fhir/Group/1/$export?patient=Patient/1 | patient",
      "/fhir/$export?_TYPE=Patient | _TYPE",
  })
  void an_unsupported_parameter_is_refused_naming_it(String path, String parameter) {
    OperationOutcome outcome =
        outcome(sample.kickoff(path, sample.exporter()), 400, "EXPORT_PARAMETER_UNSUPPORTED");

    assertEquals(parameter + ":" + SUPPORTED + "; send Prefer: handling=lenient to have it"
        + " ignored", diagnostics(outcome));
  }

  @Test
  void an_unsupported_parameter_in_a_post_body_is_refused_the_same_way() {
    OperationOutcome outcome = outcome(sample.kickoffPost("/fhir/$export", sample.exporter(),
        "_type", "Patient", "_typeFilter", "Patient?active=true"), 400,
        "EXPORT_PARAMETER_UNSUPPORTED");

    assertTrue(diagnostics(outcome).startsWith("_typeFilter:" + SUPPORTED), diagnostics(outcome));
  }

  @Test
  void format_and_pretty_are_not_export_parameters_and_pass() {
    sample.finished(sample.started(
        sample.kickoff("/fhir/$export?_type=Group&_format=json&_pretty=true", sample.exporter())));
  }

  @Test
  void with_handling_lenient_the_export_ignores_them_and_its_error_file_says_so()
      throws Exception {
    HttpResponse<String> kickoff = sample.get(sample.root()
            + "/fhir/$export?_type=Group&_typeFilter=Group%3Fname%3Dx&includeAssociatedData=x",
        sample.exporter(), "Prefer", "respond-async, handling=lenient");
    JsonNode manifest = JSON.readTree(sample.finished(sample.started(kickoff)).body());

    assertEquals("Group", manifest.get("output").get(0).get("type").asText());
    JsonNode error = manifest.get("error");
    assertEquals(1, error.size(), manifest.toString());
    assertEquals(2, error.get(0).get("count").asLong());
    List<OperationOutcome> lines = new ArrayList<>();
    for (Resource line : download(error.get(0).get("url").asText())) {
      lines.add((OperationOutcome) line);
    }
    assertEquals("warning", lines.get(0).getIssueFirstRep().getSeverity().toCode());
    assertEquals("not-supported", lines.get(0).getIssueFirstRep().getCode().toCode());
    assertEquals("EXPORT_PARAMETER_UNSUPPORTED",
        lines.get(0).getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    assertEquals("_typeFilter: not supported by this server; ignored (Prefer: handling=lenient)",
        diagnostics(lines.get(0)));
    assertTrue(diagnostics(lines.get(1)).startsWith("includeAssociatedData: not supported"));
  }

  @Test
  void elements_keeps_only_the_named_and_mandatory_elements_of_the_named_type() throws Exception {
    String status = sample.started(sample.kickoff(
        "/fhir/Patient/$export?_elements=Patient.gender,Patient.birthDate", sample.exporter()));
    JsonNode output = JSON.readTree(sample.finished(status).body()).get("output");

    List<Resource> patients = download(output.get(0).get("url").asText());
    assertFalse(patients.isEmpty());
    for (Resource resource : patients) {
      Patient patient = (Patient) resource;
      assertTrue(patient.hasId() && patient.hasGender(), patient::toString);
      assertFalse(patient.hasName(), "a name that was not asked for");
      assertTrue(patient.getMeta().getTag().stream()
          .anyMatch(tag -> "SUBSETTED".equals(tag.getCode())), "the SUBSETTED tag");
    }
    for (Resource resource : download(output.get(1).get("url").asText())) {
      Observation observation = (Observation) resource;
      assertTrue(observation.hasSubject() && observation.hasValue(), "a type not named is whole");
    }
  }

  @Test
  void elements_without_a_type_applies_to_every_type_that_has_it() throws Exception {
    String status = sample.started(sample.kickoff(
        "/fhir/Patient/$export?_elements=subject", sample.exporter()));
    JsonNode output = JSON.readTree(sample.finished(status).body()).get("output");

    for (Resource resource : download(output.get(1).get("url").asText())) {
      Observation observation = (Observation) resource;
      assertTrue(observation.hasSubject() && observation.hasStatus() && observation.hasCode(),
          "the element asked for and the mandatory ones");
      assertFalse(observation.hasValue(), "a value that was not asked for");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Patient.foo", "Patient.name.family", "Group.member", "Foo.id", "nothing", "Patient.",
  })
  void an_element_that_is_not_top_level_in_an_exported_type_is_invalid(String element) {
    OperationOutcome outcome = outcome(sample.kickoff(
        "/fhir/Patient/$export?_elements=" + element, sample.exporter()), 400,
        "EXPORT_PARAMETER_INVALID");

    assertEquals("_elements: not a top-level element of a resource type this export includes"
        + " (Patient, Observation), e.g. Patient.name or id; got '" + element + "'",
        diagnostics(outcome));
  }

  /** The lines of an NDJSON file, each parsed as a FHIR resource. */
  private static List<Resource> download(String url) {
    HttpResponse<String> file = sample.get(url, sample.exporter());
    assertEquals(200, file.statusCode(), file.body());
    List<Resource> resources = new ArrayList<>();
    for (String line : file.body().split("\n")) {
      resources.add((Resource) FhirContext.forR4Cached().newJsonParser().parseResource(line));
    }
    return resources;
  }
}
