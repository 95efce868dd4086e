package dev.fhirguard.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

  private final PathRules rules = new PathRules(List.of("/fhir/*", "/admin"),
      List.of("/fhir/metadata", "/fhir/.well-known/*"));

  @ParameterizedTest
  @CsvSource({
    "/fhir, true", "/fhir/Patient/1, true", "/fhir/metadata, false", "/fhir/metadata/x, true",
    "/fhir/.well-known/smart-configuration, false", "/fhirx, false", "/admin, true",
    "/admin/x, false", "/legacy/ok, false", "/, false"
  })
  void a_path_is_protected_when_a_protected_pattern_matches_and_no_public_one_does(
      String path, boolean expected) {
    assertEquals(expected, rules.isProtected(path));
  }

  @ParameterizedTest
  @CsvSource({
    "/fhir/metadata, true", "/fhir/.well-known/smart-configuration, true", "/fhir/Patient/1, true",
    "/fhirx, false", "/legacy/ok, false"
  })
  void a_handler_that_may_not_be_public_needs_a_token_on_every_protected_path_public_ones_included(
      String path, boolean expected) {
    assertEquals(expected, rules.isProtected(path, false));
  }

  @ParameterizedTest
  @CsvSource({"/plain, ''", "/plain/Patient/1, Patient/1", "/plainer/x, NULL"})
  void below_gives_the_path_under_a_prefix(String path, String expected) {
    assertEquals("NULL".equals(expected) ? null : expected,
        PathRules.below(List.of("/plain/*"), path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fhir/*", "/fhir*", "/fh*ir/x", "/*/x", "*"})
  void a_pattern_must_start_with_a_slash_and_may_only_end_in_slash_star(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> PathRules.checkPattern(pattern));
  }

  @org.junit.jupiter.api.Test
  void the_root_prefix_protects_every_path() {
    PathRules all = new PathRules(List.of("/*"), List.of());
    assertEquals(true, all.isProtected("/"));
    assertEquals(true, all.isProtected("/anything/at/all"));
  }
}
