package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole-system history is narrowed by {@code _type}, but {@code _type} is not a history
 * parameter in R4 (history takes _count, _since, _at, _list) and HAPI routes the request to a
 * system {@code @History} method that never sees it. A token with search on one type reads the
 * history of every type.
 */
class SystemHistoryScopeTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  @RegisterExtension
  static final TestServer plain =
      ScopedFhirServer.appWithTestTokens()
          .settings(Map.of("fhirguard.scopes.url-paths", "/plain/*")).perClass();

  @Test
  void system_history_with_a_type_parameter_still_needs_search_on_every_type() {
    int before = server.servlet(ScopedFhirServer.class).calls("system.history");
    HttpResponse<String> response = server.get("/fhir/_history?_type=Patient",
        ScopeTokens.bearer("system/Patient.s"));
    assertEquals(before, server.servlet(ScopedFhirServer.class).calls("system.history"),
        "the system history provider (all types) ran with a Patient-only scope");
    assertRefused(response, "GET _history", "system/*.s", "system/Patient.s");
  }

  @Test
  void system_history_through_the_url_fallback_also_needs_search_on_every_type() {
    HttpResponse<String> response = plain.get("/plain/_history?_type=Patient",
        ScopeTokens.bearer("system/Patient.s"));
    assertRefused(response, "GET _history", "system/*.s", "system/Patient.s");
  }
}
