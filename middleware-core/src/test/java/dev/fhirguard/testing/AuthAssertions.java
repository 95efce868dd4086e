package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Assertions for refused requests: the 401 OperationOutcome with its RFC 6750 challenge, and the
 * 503 of a verifier that could not work. The challenge rules are written from RFC 6750 §3 and
 * §3.1, not copied from the main code.
 */
public final class AuthAssertions {

  /** RFC 6750 §3.1: no credentials, or another scheme: the challenge carries no error code. */
  private static final Set<String> BARE_CHALLENGE = Set.of("TOKEN_MISSING", "AUTH_SCHEME_NOT_SUPPORTED");

  private static final Pattern BARE = Pattern.compile("Bearer realm=\"([^\"]+)\"");
  /** error_description: {@code %x20-21 / %x23-5B / %x5D-7E} (no '"', no '\', no controls). */
  private static final Pattern INVALID_TOKEN = Pattern.compile(
      "Bearer realm=\"([^\"]+)\", error=\"invalid_token\","
          + " error_description=\"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]+)\"");

  private AuthAssertions() {}

  /**
   * Asserts a complete 401: status, OperationOutcome with catalog {@code code} and issue code
   * {@code issueType}, diagnostics containing {@code diagnostics}, {@code Cache-Control:
   * no-store}, one X-Request-ID and the challenge RFC 6750 asks for (realm {@code fhir}).
   *
   * @return the outcome
   */
  public static OperationOutcome assertUnauthorized(
      HttpResponse<String> response, String code, String issueType, String diagnostics) {
    OperationOutcome outcome = Outcomes.assertError(response, 401, code);
    assertEquals(issueType, outcome.getIssueFirstRep().getCode().toCode(),
        () -> "issue.code of " + code + ": " + response.body());
    String shown = Outcomes.diagnostics(outcome);
    assertTrue(shown != null && shown.contains(diagnostics),
        () -> "diagnostics of " + code + " should contain '" + diagnostics + "': " + shown);
    assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"),
        () -> "Cache-Control of " + Outcomes.describe(response));
    assertFalse(response.headers().firstValue("Retry-After").isPresent(), "no Retry-After on 401");
    assertChallenge(response.headers().allValues("WWW-Authenticate"), code);
    return outcome;
  }

  /** As {@link #assertUnauthorized(HttpResponse, String, String, String)}, for a raw exchange. */
  public static OperationOutcome assertUnauthorized(
      RawHttp.Response response, String code, String issueType, String diagnostics) {
    assertEquals(401, response.status(), () -> "status: " + response);
    OperationOutcome outcome = Outcomes.fhir().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
    assertEquals(response.header("X-Request-ID"), outcome.getIdElement().getIdPart());
    assertEquals(code, Outcomes.catalogCoding(outcome.getIssueFirstRep()).getCode(),
        () -> "catalog code: " + response);
    assertEquals(issueType, outcome.getIssueFirstRep().getCode().toCode());
    String shown = Outcomes.diagnostics(outcome);
    assertTrue(shown != null && shown.contains(diagnostics),
        () -> "diagnostics of " + code + " should contain '" + diagnostics + "': " + shown);
    assertEquals("no-store", response.header("Cache-Control"));
    assertChallenge(response.headers("WWW-Authenticate"), code);
    return outcome;
  }

  /** Asserts one WWW-Authenticate value of the shape RFC 6750 asks for {@code code}. */
  public static void assertChallenge(List<String> challenges, String code) {
    assertEquals(1, challenges.size(), () -> "one WWW-Authenticate expected: " + challenges);
    String challenge = challenges.get(0);
    if (BARE_CHALLENGE.contains(code)) {
      Matcher bare = BARE.matcher(challenge);
      assertTrue(bare.matches(), () -> code + " needs a challenge without error: " + challenge);
      assertEquals("fhir", bare.group(1));
      return;
    }
    Matcher invalid = INVALID_TOKEN.matcher(challenge);
    assertTrue(invalid.matches(),
        () -> code + " needs error=\"invalid_token\" and a quotable error_description: "
            + challenge);
    assertEquals("fhir", invalid.group(1));
    assertTrue(invalid.group(2).length() <= 200, () -> "description too long: " + challenge);
    assertFalse(invalid.group(2).isBlank(), "empty error_description");
  }

  /**
   * Asserts the 503 of a verifier that could not reach what it needs: {@code
   * TOKEN_VERIFICATION_UNAVAILABLE}, issue code {@code transient}, a Retry-After of at least one
   * second, no challenge, and nothing about the unreachable host in the body.
   */
  public static OperationOutcome assertUnavailable(HttpResponse<String> response, String... hidden) {
    OperationOutcome outcome =
        Outcomes.assertError(response, 503, "TOKEN_VERIFICATION_UNAVAILABLE");
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    String retryAfter = response.headers().firstValue("Retry-After").orElse("");
    assertTrue(retryAfter.matches("[1-9][0-9]*"), () -> "Retry-After >= 1 expected: " + retryAfter);
    assertEquals(List.of(), response.headers().allValues("WWW-Authenticate"),
        "a 503 is not a challenge");
    assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"));
    String body = response.body();
    for (String text : List.of("Exception", "\tat ", "127.0.0.1", "localhost", "Connection refused")) {
      assertFalse(body.contains(text), () -> "503 body shows '" + text + "': " + body);
    }
    for (String text : hidden) {
      assertFalse(body.contains(text), () -> "503 body shows '" + text + "': " + body);
    }
    return outcome;
  }
}
