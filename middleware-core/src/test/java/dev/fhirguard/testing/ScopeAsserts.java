package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Assertions on fhirguard's 403 for a missing SMART scope. */
public final class ScopeAsserts {

  private ScopeAsserts() {}

  /** The exact RFC 6750 challenge for a missing {@code scope} in realm {@code fhir}. */
  public static String challenge(String scope) {
    return "Bearer realm=\"fhir\", error=\"insufficient_scope\", scope=\"" + scope + "\"";
  }

  /** The diagnostics fhirguard writes for {@code action} lacking {@code scope}. */
  public static String diagnostics(String action, String scope, String granted) {
    return "Insufficient scope: " + action + " needs " + scope + "; the token grants "
        + (granted.isBlank() ? "no scopes" : granted) + ".";
  }

  /**
   * Asserts a complete scope refusal: 403, a parseable OperationOutcome with issue code {@code
   * forbidden} and catalog code {@code SCOPE_INSUFFICIENT}, diagnostics naming the action, the
   * needed scope and the granted scopes, and exactly one WWW-Authenticate with the needed scope.
   */
  public static OperationOutcome assertRefused(
      HttpResponse<String> response, String action, String neededScope, String granted) {
    OperationOutcome outcome = Outcomes.assertError(response, 403, "SCOPE_INSUFFICIENT");
    assertEquals("forbidden", outcome.getIssueFirstRep().getCode().toCode(), "issue code");
    assertEquals(diagnostics(action, neededScope, granted), Outcomes.diagnostics(outcome),
        "diagnostics");
    assertEquals(List.of(challenge(neededScope)),
        response.headers().allValues("WWW-Authenticate"), "WWW-Authenticate");
    return outcome;
  }
}
