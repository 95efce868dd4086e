package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bulk {@code $export} at system, Patient and Group level: it needs read and search on every type
 * it exports, the types of {@code _type} (of the query for a GET, of the {@code Parameters} body
 * HAPI binds for a POST) and of {@code _typeFilter}, or every type ({@code *}) when {@code _type}
 * is absent or the body cannot be read; a Group-level export also needs read on Group.
 */
class ExportScopeTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

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
      "/fhir/Group/1/$export?_type=Patient,Observation | system/Group.r system/Patient.read system/Observation.rs",
      "/fhir/$export?_type=Patient&_typeFilter=Patient%3Factive%3Dtrue | system/Patient.rs",
  })
  void an_export_runs_when_every_exported_type_may_be_read_and_searched(
      String path, String scopes) {
    String key = providerKey(path);
    int before = server.servlet(ScopedFhirServer.class).calls(key);
    HttpResponse<String> response = server.get(path, ScopeTokens.bearer(scopes));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(before + 1, server.servlet(ScopedFhirServer.class).calls(key));
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
      "/fhir/Group/1/$export?_type=Patient,Observation | system/Group.r system/Patient.rs system/Observation.r | system/Observation.s",
      // a Group-level export reveals the Group's members: it needs read on the Group
      "/fhir/Group/1/$export?_type=Patient          | system/Patient.rs system/Observation.rs | system/Group.r",
      // _typeFilter names the types it filters: they are exported too
      "/fhir/$export?_type=Patient&_typeFilter=Observation%3Fcategory%3Dlaboratory | system/Patient.rs | system/Observation.r",
      "/fhir/$export?_type=Patient&_typeFilter=Patient%3Factive%3Dtrue,Group%3Fname%3Dx | system/Patient.rs | system/Group.r",
      "/fhir/$export?_type=Patient&_typeFilter=patient%3Factive%3Dtrue | system/Patient.rs | system/*.r",
      // a filter that names no type may apply to any: an empty one too (found by the fuzzer)
      "/fhir/$export?_type=Patient&_typeFilter=   | system/Patient.rs                       | system/*.r",
      "/fhir/$export?_type=Patient&_typeFilter=%3Fname%3Dx | system/Patient.rs              | system/*.r",
      // a name that is no resource type counts as every type
      "/fhir/$export?_type=patient               | system/Patient.rs                       | system/*.r",
      // user and patient contexts are named in the challenge
      "/fhir/$export                             | user/Patient.rs                         | user/*.r",
  })
  void an_export_is_refused_naming_the_first_missing_scope(
      String path, String scopes, String needed) {
    int before = server.servlet(ScopedFhirServer.class).totalCalls();
    HttpResponse<String> response = server.get(path, ScopeTokens.bearer(scopes));
    String action = "GET " + path.substring("/fhir/".length()).replaceFirst("\\?.*", "");
    assertRefused(response, action, needed, scopes);
    assertEquals(before, server.servlet(ScopedFhirServer.class).totalCalls(),
        "the export must not start");
  }

  private static final String JSON = "application/fhir+json";
  private static final String XML = "application/fhir+xml";

  /** A JSON Parameters body of name/value pairs ({@code valueString}). */
  private static String json(String... pairs) {
    StringBuilder body = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[");
    for (int i = 0; i < pairs.length; i += 2) {
      body.append(i == 0 ? "" : ",").append("{\"name\":\"").append(pairs[i])
          .append("\",\"valueString\":\"").append(pairs[i + 1]).append("\"}");
    }
    return body.append("]}").toString();
  }

  /** An XML Parameters body of name/value pairs ({@code valueString}). */
  private static String xml(String... pairs) {
    StringBuilder body = new StringBuilder("<Parameters xmlns=\"http://hl7.org/fhir\">");
    for (int i = 0; i < pairs.length; i += 2) {
      body.append("<parameter><name value=\"").append(pairs[i])
          .append("\"/><valueString value=\"").append(pairs[i + 1]).append("\"/></parameter>");
    }
    return body.append("</Parameters>").toString();
  }

  private static HttpResponse<String> post(String path, String contentType, String body,
      String scopes) {
    return contentType == null
        ? server.send("POST", path, body, "Authorization", "Bearer " + ScopeTokens.token(scopes))
        : server.send("POST", path, body, "Authorization", "Bearer " + ScopeTokens.token(scopes),
            "Content-Type", contentType);
  }

  static Stream<Arguments> refusedPosts() {
    String narrow = "system/Patient.rs system/Observation.rs";
    return Stream.of(
        // the query names Patient, the body (which HAPI binds) Group
        Arguments.of("/fhir/$export?_type=Patient", JSON, json("_type", "Group"), narrow,
            "system/Group.r"),
        Arguments.of("/fhir/$export?_type=Patient", XML, xml("_type", "Group"), narrow,
            "system/Group.r"),
        Arguments.of("/fhir/$export", JSON, json("_type", "Patient", "_type", "Group"), narrow,
            "system/Group.r"),
        Arguments.of("/fhir/$export", JSON, json("_type", "Patient, Group"), narrow,
            "system/Group.r"),
        Arguments.of("/fhir/Patient/$export", XML, xml("_type", "Patient,Observation,Group"),
            narrow, "system/Group.r"),
        Arguments.of("/fhir/$export", JSON,
            json("_type", "Patient", "_typeFilter", "Group?name=x"), narrow, "system/Group.r"),
        Arguments.of("/fhir/Group/1/$export", JSON, json("_type", "Patient"), narrow,
            "system/Group.r"),
        // HAPI binds a POST's parameters from its body alone: no _type there exports everything
        Arguments.of("/fhir/$export?_type=Patient", JSON, json(), narrow, "system/*.r"),
        Arguments.of("/fhir/$export?_type=Patient", JSON, json("_outputFormat", "ndjson"), narrow,
            "system/*.r"),
        Arguments.of("/fhir/$export?_type=Patient", null, null, narrow, "system/*.r"),
        Arguments.of("/fhir/$export?_type=Patient", JSON,
            "{\"resourceType\":\"Patient\",\"id\":\"1\"}", narrow, "system/*.r"),
        // a body that cannot be read may name any type
        Arguments.of("/fhir/$export?_type=Patient", JSON, "{\"resourceType\":\"Parameters\",",
            narrow, "system/*.r"),
        Arguments.of("/fhir/$export?_type=Patient", "text/plain", "_type=Patient", narrow,
            "system/*.r"),
        Arguments.of("/fhir/$export", JSON, "{\"resourceType\":\"Parameters\",\"parameter\":"
            + "[{\"name\":\"_type\",\"valueReference\":{\"reference\":\"Group/1\"}}]}",
            narrow, "system/*.r"),
        // an export that reads its own request: its body is left to it, so it may name anything
        Arguments.of("/fhir/Observation/$export", JSON, json("_type", "Observation"), narrow,
            "system/*.r"));
  }

  @ParameterizedTest(name = "[{3}] may not POST {0} {2}: needs {4}")
  @MethodSource("refusedPosts")
  void a_posted_export_needs_every_type_its_body_names_or_every_type_when_it_cannot_tell(
      String path, String contentType, String body, String scopes, String needed) {
    int before = server.servlet(ScopedFhirServer.class).totalCalls();
    HttpResponse<String> response = post(path, contentType, body, scopes);
    String action = "POST " + path.substring("/fhir/".length()).replaceFirst("\\?.*", "");
    assertRefused(response, action, needed, scopes);
    assertEquals(before, server.servlet(ScopedFhirServer.class).totalCalls(),
        "the export must not start");
  }

  @Test
  void a_posted_export_runs_with_the_scopes_its_body_names_and_still_sees_its_whole_body() {
    String body = json("_type", "Patient", "_type", "Observation",
        "_typeFilter", "Observation?category=laboratory");
    int before = server.servlet(ScopedFhirServer.class).calls("system.$export");
    HttpResponse<String> response =
        post("/fhir/$export", JSON, body, "system/Patient.rs system/Observation.rs");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(before + 1, server.servlet(ScopedFhirServer.class).calls("system.$export"));
    Parameters seen = FhirContext.forR4Cached().newJsonParser()
        .parseResource(Parameters.class, response.body());
    assertEquals("Patient,Observation", seen.getParameter("types").getValue().primitiveValue());
    assertEquals("Observation?category=laboratory",
        seen.getParameter("typeFilter").getValue().primitiveValue());
  }

  @Test
  void an_xml_body_is_read_as_hapi_reads_it() {
    HttpResponse<String> response = post("/fhir/Group/1/$export", XML, xml("_type", "Patient"),
        "system/Group.r system/Patient.rs");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("Patient"), response.body());
  }

  @Test
  void an_export_that_reads_its_own_request_still_gets_its_whole_body() {
    String body = json("_type", "Observation");
    HttpResponse<String> response =
        post("/fhir/Observation/$export", JSON, body, "system/*.rs");
    assertEquals(200, response.statusCode(), response.body());
    Parameters seen = FhirContext.forR4Cached().newJsonParser()
        .parseResource(Parameters.class, response.body());
    assertEquals(body, seen.getParameter("body").getValue().primitiveValue());
  }
}
