package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMART App Launch scopes as text (v1 and v2, wildcards, query constraints) and the permissions
 * a request needs from its method and URL ({@link UrlNeeds}). Expected values are written from
 * the SMART App Launch 2.x specification, not from the parser.
 */
class SmartScopesTest {

  /** Permission bits as v2 letters in the canonical order, e.g. {@code rs}. */
  private static String letters(int bits) {
    StringBuilder out = new StringBuilder();
    for (int bit = 1; bit <= 16; bit <<= 1) {
      if ((bits & bit) != 0) {
        out.append(Permission.letter(bit));
      }
    }
    return out.toString();
  }

  private static String constraintText(Map<String, String> constraint) {
    return constraint.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
  }

  @ParameterizedTest(name = "{0} is {1}/{2}.{3} {4}")
  @CsvSource(delimiter = ';', nullValues = "-", value = {
      // v2 permission sets
      "system/Patient.r          ; system  ; Patient     ; r     ; -",
      "system/Patient.s          ; system  ; Patient     ; s     ; -",
      "system/Patient.rs         ; system  ; Patient     ; rs    ; -",
      "system/Patient.cruds      ; system  ; Patient     ; cruds ; -",
      "user/Observation.cud      ; user    ; Observation ; cud   ; -",
      "patient/Observation.crd   ; patient ; Observation ; crd   ; -",
      "patient/MedicationRequest.u ; patient ; MedicationRequest ; u ; -",
      // wildcards
      "system/*.rs               ; system  ; *           ; rs    ; -",
      "user/*.cruds              ; user    ; *           ; cruds ; -",
      // v1 words
      "system/Patient.read       ; system  ; Patient     ; rs    ; -",
      "user/Patient.write        ; user    ; Patient     ; cud   ; -",
      "patient/Patient.*         ; patient ; Patient     ; cruds ; -",
      "system/*.*                ; system  ; *           ; cruds ; -",
      "system/*.read             ; system  ; *           ; rs    ; -",
      // v2 query constraints, decoded
      "system/Observation.rs?category=laboratory ; system ; Observation ; rs ; category=laboratory",
      "patient/Observation.s?category=vital-signs&status=final ; patient ; Observation ; s ; category=vital-signs&status=final",
      "user/Observation.rs?category=http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fobservation-category%7Claboratory ; user ; Observation ; rs ; category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
      "system/Observation.s?code%3Atext=blood+sugar ; system ; Observation ; s ; code:text=blood sugar",
      "system/Condition.rs?category=a%26b ; system ; Condition ; rs ; category=a&b",
  })
  void well_formed_resource_scopes_parse_into_context_type_permissions_and_constraint(
      String text, String context, String type, String permissions, String constraint) {
    SmartScope scope = SmartScope.parse(text);
    assertNotNull(scope, text);
    assertAll(text,
        () -> assertEquals(context, scope.context()),
        () -> assertEquals(type, scope.resourceType()),
        () -> assertEquals(permissions, letters(scope.permissions())),
        () -> assertEquals(constraint == null ? "" : constraint, constraintText(scope.constraint())));
  }

  @ParameterizedTest(name = "{0} is not a resource scope")
  @ValueSource(strings = {
      "openid", "fhirUser", "profile", "offline_access", "online_access", "launch",
      "launch/patient", "launch/encounter", "smart/orchestrate_launch", "admin/Patient.r",
      "System/Patient.r", "patient", "", "/Patient.r", "urn:example:custom-scope"})
  void other_scopes_are_not_resource_scopes_and_parse_to_null(String text) {
    assertNull(SmartScope.parse(text));
  }

  @ParameterizedTest(name = "{0} is malformed")
  @ValueSource(strings = {
      "system/Patient.rx",          // unknown letter
      "system/Patient.sr",          // wrong order
      "system/Patient.rr",          // repeated letter
      "system/Patient.SR",          // upper case
      "system/Patient.",            // no permissions
      "system/Patient",             // no '.'
      "system/.r",                  // no type
      "system/patient.r",           // not a resource type (lower case)
      "system/Patient1.r",          // digits are in no resource type
      "system/Pat-ient.r",
      "system/Patiënt.r",           // non-ASCII
      "system/Patient.read?x=1",    // v1 scopes have no query
      "system/*.*?category=x",
      "system/Patient.rs?",         // empty query
      "system/Patient.rs?category", // no value
      "system/Patient.rs?=x",       // no name
      "system/Patient.rs?category=",
      "system/Patient.rs?a=1&&b=2",
      "system/Patient.rs?a=1&a=2",  // one parameter twice
      "system/Patient.r.s",
      "user/Patient.writ",
      "patient/Patient.cruds.x"})
  void malformed_resource_scopes_throw_IllegalArgumentException(String text) {
    assertThrows(IllegalArgumentException.class, () -> SmartScope.parse(text));
  }

  @Test
  void a_scope_permits_only_its_own_type_unless_it_is_a_wildcard() {
    Need readPatient = new Need("Patient", Permission.READ, Map.of(), "read");
    Need readAnything = new Need("*", Permission.READ, Map.of(), "read any");
    assertAll(
        () -> assertTrue(SmartScope.parse("system/Patient.r").permits(readPatient)),
        () -> assertFalse(SmartScope.parse("system/Observation.r").permits(readPatient)),
        () -> assertTrue(SmartScope.parse("system/*.r").permits(readPatient)),
        () -> assertTrue(SmartScope.parse("system/*.r").permits(readAnything)),
        // a need on every type is not met by a scope for one type
        () -> assertFalse(SmartScope.parse("system/Patient.r").permits(readAnything)),
        () -> assertFalse(SmartScope.parse("system/Patient.s").permits(readPatient)));
  }

  @Test
  void a_query_constrained_scope_permits_only_a_search_carrying_exactly_the_constrained_value() {
    SmartScope lab = SmartScope.parse("system/Observation.rs?category=laboratory");
    Map<String, String[]> labOnly = Map.of("category", new String[] {"laboratory"});
    assertAll(
        () -> assertTrue(lab.permits(new Need("Observation", Permission.SEARCH, labOnly, "s"))),
        () -> assertTrue(lab.permits(new Need("Observation", Permission.SEARCH,
            Map.of("category", new String[] {"laboratory"}, "code", new String[] {"x"}), "s"))),
        () -> assertFalse(lab.permits(new Need("Observation", Permission.SEARCH,
            Map.of("category", new String[] {"vital-signs"}), "s"))),
        () -> assertFalse(lab.permits(new Need("Observation", Permission.SEARCH,
            Map.of("category", new String[] {"laboratory,vital-signs"}), "s"))),
        () -> assertFalse(lab.permits(new Need("Observation", Permission.SEARCH,
            Map.of("category", new String[] {"laboratory", "vital-signs"}), "s"))),
        () -> assertFalse(lab.permits(new Need("Observation", Permission.SEARCH, Map.of(), "s"))),
        // the r of a constrained scope cannot be checked on a read: it is refused
        () -> assertFalse(lab.permits(new Need("Observation", Permission.READ, labOnly, "r"))));
  }

  private static String needs(String method, String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    Map<String, String[]> params =
        question < 0 ? Map.of() : UrlNeeds.parse(pathAndQuery.substring(question + 1));
    List<Need> needs = UrlNeeds.of(method, path, params);
    return needs.isEmpty() ? "nothing" : needs.stream()
        .map(n -> n.resourceType() + "." + Permission.letter(n.permission()))
        .collect(Collectors.joining(" "));
  }

  @ParameterizedTest(name = "{0} {1} needs {2}")
  @CsvSource(delimiter = '|', value = {
      // instance and type interactions
      "GET    | Patient/1                  | Patient.r",
      "HEAD   | Patient/1                  | Patient.r",
      "GET    | Patient/1/_history/2       | Patient.r",
      "GET    | Patient/1/_history         | Patient.r",
      "PUT    | Patient/1                  | Patient.u",
      "PATCH  | Patient/1                  | Patient.u",
      "DELETE | Patient/1                  | Patient.d",
      "GET    | Patient                    | Patient.s",
      "GET    | Patient?name=x             | Patient.s",
      "GET    | Patient/_search?name=x     | Patient.s",
      "POST   | Patient/_search            | Patient.s",
      "GET    | Patient/_history           | Patient.s",
      "POST   | Patient                    | Patient.c",
      "PUT    | Patient?identifier=x       | Patient.u",
      "PATCH  | Patient?identifier=x       | Patient.u",
      "DELETE | Patient?identifier=x       | Patient.d",
      "GET    | Patient/1/Observation      | Observation.s",
      // system level
      "GET    | ''                         | *.s",
      "GET    | ?_type=Patient,Observation | Patient.s Observation.s",
      "GET    | ?_type=Patient&_type=Group | Patient.s Group.s",
      "GET    | ?_type=nonsense            | *.s",
      "GET    | _history                   | *.s",
      "GET    | _search?_type=Patient      | Patient.s",
      "POST   | _search                    | *.s",
      "POST   | ''                         | *.c *.r *.u *.d *.s",
      "GET    | metadata                   | nothing",
      // operations
      "GET    | $export                    | *.r *.s",
      "GET    | $export?_type=Patient,Observation | Patient.r Patient.s Observation.r Observation.s",
      "GET    | Patient/$export            | *.r *.s",
      "GET    | Patient/$export?_type=Observation | Observation.r Observation.s",
      "GET    | Group/1/$export?_type=Patient | Group.r Patient.r Patient.s",
      "GET    | $export?_type=Patient&_typeFilter=Observation%3Fcode%3Da,b | Patient.r Patient.s Observation.r Observation.s",
      "POST   | $export?_type=Patient       | *.r *.s",
      "GET    | Patient/1/$everything      | Patient.r",
      "POST   | Patient/1/$everything      | Patient.u",
      "GET    | Patient/$match             | Patient.r",
      "POST   | Patient/$validate          | Patient.u",
      "GET    | $meta                      | *.r",
      "POST   | $reindex                   | *.u",
      // unknown shapes fail closed: read on every type to read, everything to write
      "GET    | foo/bar                    | *.r",
      "GET    | patient/1                  | *.r",
      "GET    | Patient/1/_history/2/x     | *.r",
      "GET    | Patient/1/foo              | *.r",
      "POST   | foo/bar                    | *.c *.r *.u *.d *.s",
      "DELETE | Patient/1/_history/2       | *.c *.r *.u *.d *.s",
      "POST   | Patient/1                  | *.c *.r *.u *.d *.s",
      "POST   | Patient/1/_history         | *.c *.r *.u *.d *.s",
      "DELETE | _history                   | *.c *.r *.u *.d *.s",
      "PUT    | Patient/1/Observation      | *.c *.r *.u *.d *.s",
      "DELETE | metadata                   | *.c *.r *.u *.d *.s",
      "OPTIONS | Patient                   | *.c *.r *.u *.d *.s",
  })
  void the_url_and_method_tell_the_permissions_a_request_needs(
      String method, String pathAndQuery, String expected) {
    assertEquals(expected, needs(method, pathAndQuery));
  }

  @Test
  void a_batch_entry_is_judged_by_its_method_and_url_and_labelled_with_its_index() {
    List<Need> delete = UrlNeeds.ofEntry(3, "DELETE", "Patient/1");
    assertEquals(1, delete.size());
    assertEquals("Patient", delete.get(0).resourceType());
    assertEquals(Permission.DELETE, delete.get(0).permission());
    assertEquals("entry 3 (DELETE Patient/1)", delete.get(0).action());

    List<Need> search = UrlNeeds.ofEntry(0, "GET", "/Observation?category=laboratory");
    assertEquals(Permission.SEARCH, search.get(0).permission());
    assertEquals("laboratory", search.get(0).parameters().get("category")[0]);
  }

  @Test
  void a_batch_entry_with_an_absolute_url_fails_closed() {
    // Not a shape the rules know: reading needs *.r, a write needs every permission on every type.
    assertEquals("*.r", UrlNeeds.ofEntry(0, "GET", "http://other.example/fhir/Patient/1").stream()
        .map(n -> n.resourceType() + "." + Permission.letter(n.permission()))
        .collect(Collectors.joining(" ")));
    assertEquals(5, UrlNeeds.ofEntry(0, "DELETE", "http://other.example/fhir/Patient/1").size());
  }

  @Test
  void query_parameters_are_decoded_and_repeated_names_keep_every_value() {
    Map<String, String[]> params = UrlNeeds.parse("category=a%2Cb&category=c&flag&x=%ZZ");
    assertEquals(List.of("a,b", "c"), List.of(params.get("category")));
    assertEquals(List.of(""), List.of(params.get("flag")));
    assertEquals(List.of("%ZZ"), List.of(params.get("x")), "a bad escape is kept as sent");
  }
}
