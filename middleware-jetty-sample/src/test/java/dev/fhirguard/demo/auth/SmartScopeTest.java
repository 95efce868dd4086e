package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a registered SMART scope covers. */
class SmartScopeTest {

  private static boolean covers(String allowed, String requested) {
    return SmartScope.parse(allowed).orElseThrow()
        .covers(SmartScope.parse(requested).orElseThrow());
  }

  @Test
  void wildcard_resource_covers_every_resource_type() {
    assertTrue(covers("system/*.rs", "system/Encounter.rs"));
  }

  @Test
  void fewer_permissions_are_covered() {
    assertTrue(covers("system/Patient.cruds", "system/Patient.rs"));
    assertFalse(covers("system/Patient.r", "system/Patient.rs"));
  }

  @Test
  void version_one_names_map_to_version_two_permissions() {
    assertTrue(covers("system/*.read", "system/Patient.rs"));
    assertFalse(covers("system/*.read", "system/Patient.c"));
    assertTrue(covers("system/Patient.cruds", "system/Patient.write"));
  }

  @Test
  void other_context_or_type_is_not_covered() {
    assertFalse(covers("system/Patient.rs", "patient/Patient.rs"));
    assertFalse(covers("system/Patient.rs", "system/Observation.rs"));
  }

  @Test
  void query_restricted_scope_only_covers_the_same_query() {
    assertTrue(covers("system/Observation.rs", "system/Observation.rs?category=laboratory"));
    assertFalse(covers("system/Observation.rs?category=laboratory", "system/Observation.rs"));
  }

  @Test
  void malformed_scopes_are_not_smart_scopes() {
    assertTrue(SmartScope.parse("system/Patient.sr").isEmpty(), "letters out of order");
    assertTrue(SmartScope.parse("system/Patient.x").isEmpty());
    assertTrue(SmartScope.parse("openid").isEmpty());
  }

  @Test
  void a_query_outside_printable_ascii_is_not_a_smart_scope() {
    assertTrue(SmartScope.parse("system/Observation.rs?code=\u00e9").isEmpty());
    assertTrue(SmartScope.parse("system/Observation.rs?code=\u0085").isEmpty());
    assertTrue(SmartScope.parse("system/Observation.rs?code=a\"b").isEmpty());
    assertFalse(SmartScope.parse("system/Observation.rs?code=http://loinc.org|1-8").isEmpty());
  }
}
