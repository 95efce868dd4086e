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
  void aPathIsProtectedWhenAProtectedPatternMatchesAndNoPublicOneDoes(String path, boolean expected) {
    assertEquals(expected, rules.isProtected(path));
  }

  @ParameterizedTest
  @CsvSource({
    "/fhir/metadata, true", "/fhir/.well-known/smart-configuration, true", "/fhir/Patient/1, true",
    "/fhirx, false", "/legacy/ok, false"
  })
  void aHandlerThatMayNotBePublicNeedsATokenOnEveryProtectedPathPublicOnesIncluded(
      String path, boolean expected) {
    assertEquals(expected, rules.isProtected(path, false));
  }

  @ParameterizedTest
  @CsvSource({"/plain, ''", "/plain/Patient/1, Patient/1", "/plainer/x, NULL"})
  void belowGivesThePathUnderAPrefix(String path, String expected) {
    assertEquals("NULL".equals(expected) ? null : expected,
        PathRules.below(List.of("/plain/*"), path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fhir/*", "/fhir*", "/fh*ir/x", "/*/x", "*"})
  void aPatternMustStartWithASlashAndMayOnlyEndInSlashStar(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> PathRules.checkPattern(pattern));
  }

  @org.junit.jupiter.api.Test
  void theRootPrefixProtectsEveryPath() {
    PathRules all = new PathRules(List.of("/*"), List.of());
    assertEquals(true, all.isProtected("/"));
    assertEquals(true, all.isProtected("/anything/at/all"));
  }
}
