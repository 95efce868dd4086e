package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bulk {@code $export} at system, Patient and Group level: it needs read and search on every type
 * it exports, the types of {@code _type}, or every type ({@code *}) when {@code _type} is absent.
 */
class ExportScopeTest {

  @RegisterExtension
  static final ScopedServer server = ScopedServer.perClass();

  private static String providerKey(String path) {
    return path.startsWith("/fhir/$export") ? "system.$export"
        : path.startsWith("/fhir/Patient") ? "Patient.$export" : "Group.$export";
  }

  @ParameterizedTest(name = "[{1}] may {0}")
  @CsvSource(delimiter = '|', value = {
      "/fhir/$export                                | system/*.rs",
      "/fhir/$export                                | system/*.read",
      "/fhir/$export                                | system/*.cruds",
      "/fhir/$export?_type=Patient,Observation      | system/*.rs",
      "/fhir/$export?_type=Patient,Observation      | system/Patient.rs system/Observation.rs",
      "/fhir/$export?_type=Patient                  | system/Patient.rs",
      "/fhir/Patient/$export                        | system/*.rs",
      "/fhir/Patient/$export?_type=Patient,Observation | system/Patient.rs system/Observation.rs",
      "/fhir/Patient/$export?_type=Observation      | system/Observation.rs",
      "/fhir/Group/1/$export                        | system/*.rs",
      "/fhir/Group/1/$export?_type=Patient,Observation | system/Patient.read system/Observation.rs",
  })
  void an_export_runs_when_every_exported_type_may_be_read_and_searched(
      String path, String scopes) {
    String key = providerKey(path);
    int before = server.fhir().calls(key);
    HttpResponse<String> response = server.get(path, ScopeTokens.bearer(scopes));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(before + 1, server.fhir().calls(key));
  }

  @ParameterizedTest(name = "[{1}] may not {0}: needs {2}")
  @CsvSource(delimiter = '|', value = {
      // without _type an export covers every type, so per-type scopes are not enough
      "/fhir/$export                             | system/Patient.rs system/Observation.rs | system/*.r",
      "/fhir/$export                             | system/Patient.r                        | system/*.r",
      "/fhir/$export                             | system/*.r                              | system/*.s",
      "/fhir/Patient/$export                     | system/Patient.rs system/Observation.rs | system/*.r",
      "/fhir/Group/1/$export                     | system/Patient.rs system/Group.rs       | system/*.r",
      // with _type, read and search on each listed type
      "/fhir/$export?_type=Patient,Observation   | system/Patient.rs                       | system/Observation.r",
      "/fhir/$export?_type=Patient               | system/Patient.r                        | system/Patient.s",
      "/fhir/$export?_type=Patient               | system/Patient.s                        | system/Patient.r",
      "/fhir/Patient/$export?_type=Observation   | system/Patient.rs                       | system/Observation.r",
      "/fhir/Group/1/$export?_type=Patient       | system/Group.rs                         | system/Patient.r",
      "/fhir/Group/1/$export?_type=Patient,Observation | system/Patient.rs system/Observation.r | system/Observation.s",
      // a name that is no resource type counts as every type
      "/fhir/$export?_type=patient               | system/Patient.rs                       | system/*.r",
      // user and patient contexts are named in the challenge
      "/fhir/$export                             | user/Patient.rs                         | user/*.r",
  })
  void an_export_is_refused_naming_the_first_missing_scope(
      String path, String scopes, String needed) {
    int before = server.fhir().totalCalls();
    HttpResponse<String> response = server.get(path, ScopeTokens.bearer(scopes));
    String action = "GET " + path.substring("/fhir/".length()).replaceFirst("\\?.*", "");
    assertRefused(response, action, needed, scopes);
    assertEquals(before, server.fhir().totalCalls(), "the export must not start");
  }

  @Test
  void a_posted_export_is_judged_as_exporting_every_type_because_its_body_is_not_read() {
    // _type in a Parameters body is not looked at: the POST needs *.rs even when it names Patient.
    String body = "{\"resourceType\":\"Parameters\",\"parameter\":"
        + "[{\"name\":\"_type\",\"valueString\":\"Patient\"}]}";
    String narrow = "system/Patient.rs";
    HttpResponse<String> refused = server.send("POST", "/fhir/$export", body,
        "Authorization", "Bearer " + ScopeTokens.token(narrow),
        "Content-Type", "application/fhir+json");
    assertRefused(refused, "POST $export", "system/*.r", narrow);

    int before = server.fhir().calls("system.$export");
    HttpResponse<String> allowed = server.send("POST", "/fhir/$export", body,
        "Authorization", "Bearer " + ScopeTokens.token("system/*.rs"),
        "Content-Type", "application/fhir+json");
    assertEquals(200, allowed.statusCode(), allowed.body());
    assertTrue(allowed.body().contains("Patient"), allowed.body());
    assertEquals(before + 1, server.fhir().calls("system.$export"));
  }
}
