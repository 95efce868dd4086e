package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed resource scopes in a verified token are ignored, each with one WARN line on the
 * {@code dev.fhirguard.auth} logger; the token's valid scopes still work and nothing is a 500.
 */
class MalformedScopeTest {

  private static final List<String> MALFORMED = List.of(
      "system/Patient.rx", "system/Patient.sr", "system/patient.r", "system/Patient.read?x=1");

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  private static List<ILoggingEvent> scopeWarnings(LogCapture logs) {
    return logs.at(Level.WARN).stream()
        .filter(e -> e.getLoggerName().equals("dev.fhirguard.auth"))
        .toList();
  }

  @Test
  void malformed_scopes_are_ignored_with_one_warning_each_and_the_valid_scope_still_works() {
    String scopes = String.join(" ", MALFORMED) + " system/Patient.r openid";
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = server.get("/fhir/Patient/1", ScopeTokens.bearer(scopes));
      assertEquals(200, response.statusCode(), response.body());

      List<ILoggingEvent> warnings = scopeWarnings(logs);
      assertEquals(MALFORMED.size(), warnings.size(), () -> LogCapture.render(warnings));
      for (int i = 0; i < MALFORMED.size(); i++) {
        String line = warnings.get(i).getFormattedMessage();
        assertTrue(line.contains("'" + MALFORMED.get(i) + "'"), line);
        assertTrue(line.contains(ScopeTokens.CLIENT_ID), line);
      }
      assertTrue(logs.at(Level.ERROR).isEmpty(), () -> LogCapture.render(logs.at(Level.ERROR)));
    }
  }

  @Test
  void the_warnings_are_written_once_per_token_not_once_per_request() {
    String scopes = "system/Patient.rr system/Patient.rs";
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, server.get("/fhir/Patient/1", ScopeTokens.bearer(scopes)).statusCode());
      }
      assertEquals(200,
          server.get("/fhir/Patient?name=x", ScopeTokens.bearer(scopes)).statusCode());
      assertEquals(1, scopeWarnings(logs).size(), () -> LogCapture.render(scopeWarnings(logs)));
    }
  }

  @Test
  void a_token_with_only_malformed_scopes_gets_403_not_500() {
    String scopes = String.join(" ", MALFORMED);
    int before = server.servlet(ScopedFhirServer.class).totalCalls();
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = server.get("/fhir/Patient/1", ScopeTokens.bearer(scopes));
      assertRefused(response, "GET Patient/1", "system/Patient.r", scopes);
      assertTrue(logs.at(Level.ERROR).isEmpty(), () -> LogCapture.render(logs.at(Level.ERROR)));
    }
    assertEquals(before, server.servlet(ScopedFhirServer.class).totalCalls());
  }

  @Test
  void a_malformed_wildcard_does_not_grant_anything() {
    // system/*.rw is malformed (w is no v2 letter), not a partial grant of read
    String scopes = "system/*.rw";
    assertRefused(server.get("/fhir/Patient/1", ScopeTokens.bearer(scopes)), "GET Patient/1",
        "system/Patient.r", scopes);
  }

  @Test
  void a_malformed_scope_cannot_forge_log_lines() {
    String scopes = "system/Patient.r\nWARN\tforged-entry system/Patient.rs";
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response = server.get("/fhir/Patient/1", ScopeTokens.bearer(scopes));
      assertEquals(200, response.statusCode(), response.body());
      List<ILoggingEvent> warnings = scopeWarnings(logs);
      assertEquals(1, warnings.size(), () -> LogCapture.render(warnings));
      String line = warnings.get(0).getFormattedMessage();
      assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\t"), line);
    }
  }

  @Test
  void a_very_long_malformed_scope_is_cut_in_the_log() {
    String longScope = "system/Patient." + "x".repeat(5000);
    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> response =
          server.get("/fhir/Patient/1", ScopeTokens.bearer(longScope + " system/Patient.r"));
      assertEquals(200, response.statusCode(), response.body());
      List<ILoggingEvent> warnings = scopeWarnings(logs);
      assertEquals(1, warnings.size());
      assertTrue(warnings.get(0).getFormattedMessage().length() < 600,
          () -> "length " + warnings.get(0).getFormattedMessage().length());
    }
  }
}
