package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.diagnostics;
import static dev.fhirguard.demo.export.ExportSample.header;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirguard.demo.auth.SampleTokens;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scopes of a kick-off on the sample's real {@code $export}, with a token for Patients and
 * Observations only: the types a POSTed {@code Parameters} body names are checked, not only the
 * URL's, and a Group export needs read on the Group.
 */
class ExportScopeTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NARROW = "system/Patient.rs system/Observation.rs";

  private static String narrow;

  @BeforeAll
  static void narrowToken() throws Exception {
    narrow = SampleTokens.withAssertion(sample.root(), ExportSample.EXPORTER, NARROW);
  }

  private static void assertRefusedFor(HttpResponse<String> refused, String scope) {
    OperationOutcome outcome = outcome(refused, 403, "SCOPE_INSUFFICIENT");
    assertTrue(header(refused, "WWW-Authenticate").contains("scope=\"" + scope + "\""),
        header(refused, "WWW-Authenticate"));
    assertTrue(diagnostics(outcome).contains("needs " + scope), diagnostics(outcome));
  }

  @Test
  void a_type_named_only_in_the_posted_body_needs_its_scope_too() throws Exception {
    HttpResponse<String> refused =
        sample.kickoffPost("/fhir/$export?_type=Patient", narrow, "_type", "Group");

    assertRefusedFor(refused, "system/Group.r");
    // nothing started: the client's one export slot is still free, and the body is what counts
    String status = sample.started(sample.kickoffPost("/fhir/$export", narrow, "_type", "Patient"));
    List<String> exported = new ArrayList<>();
    for (JsonNode file : JSON.readTree(sample.finished(status).body()).get("output")) {
      exported.add(file.get("type").asText());
    }
    assertEquals(List.of("Patient"), exported);
  }

  @Test
  void a_posted_body_without_a_type_exports_every_type_so_it_needs_them_all() {
    assertRefusedFor(sample.kickoffPost("/fhir/$export?_type=Patient", narrow), "system/*.r");
  }

  @Test
  void a_group_export_needs_read_on_the_group_whose_members_it_reveals() {
    assertRefusedFor(sample.kickoff("/fhir/Group/1/$export?_type=Patient", narrow),
        "system/Group.r");
  }
}
