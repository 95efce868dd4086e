package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/**
 * Parse-and-assert helpers for error responses. The IssueType hierarchy and the status table
 * here are written from the R4 specification, independently of the main code, so they act as an
 * oracle rather than a copy.
 */
public final class Outcomes {

  public static final String CODE_SYSTEM = "https://fhirguard.dev/CodeSystem/error-code";
  public static final String JSON_TYPE = "application/fhir+json;charset=utf-8";
  public static final String XML_TYPE = "application/fhir+xml;charset=utf-8";

  /** R4 IssueType: child code to parent code (http://hl7.org/fhir/R4/valueset-issue-type.html). */
  private static final Map<String, String> PARENT =
      Map.ofEntries(
          Map.entry("structure", "invalid"),
          Map.entry("required", "invalid"),
          Map.entry("value", "invalid"),
          Map.entry("invariant", "invalid"),
          Map.entry("login", "security"),
          Map.entry("unknown", "security"),
          Map.entry("expired", "security"),
          Map.entry("forbidden", "security"),
          Map.entry("suppressed", "security"),
          Map.entry("not-supported", "processing"),
          Map.entry("duplicate", "processing"),
          Map.entry("multiple-matches", "processing"),
          Map.entry("not-found", "processing"),
          Map.entry("deleted", "not-found"),
          Map.entry("too-long", "processing"),
          Map.entry("code-invalid", "processing"),
          Map.entry("extension", "processing"),
          Map.entry("too-costly", "processing"),
          Map.entry("business-rule", "processing"),
          Map.entry("conflict", "processing"),
          Map.entry("lock-error", "transient"),
          Map.entry("no-store", "transient"),
          Map.entry("exception", "transient"),
          Map.entry("timeout", "transient"),
          Map.entry("incomplete", "transient"),
          Map.entry("throttled", "transient"));

  /**
   * For each status: the IssueType(s) the spec names; an issue code must be one of them or a
   * descendant of one of them.
   */
  private static final Map<Integer, Set<String>> STATUS_TYPES =
      Map.ofEntries(
          Map.entry(400, Set.of("invalid")),
          Map.entry(401, Set.of("login", "security")),
          Map.entry(403, Set.of("forbidden")),
          Map.entry(404, Set.of("not-found")),
          Map.entry(405, Set.of("not-supported")),
          Map.entry(406, Set.of("not-supported")),
          Map.entry(409, Set.of("conflict")),
          Map.entry(410, Set.of("deleted")),
          Map.entry(412, Set.of("conflict")),
          Map.entry(413, Set.of("too-long")),
          Map.entry(415, Set.of("not-supported")),
          Map.entry(422, Set.of("processing")),
          Map.entry(429, Set.of("throttled")),
          Map.entry(500, Set.of("exception")),
          Map.entry(501, Set.of("not-supported")),
          Map.entry(502, Set.of("transient")),
          Map.entry(503, Set.of("transient")),
          Map.entry(504, Set.of("timeout")));

  private Outcomes() {}

  public static FhirContext fhir() {
    return FhirContext.forR4Cached();
  }

  /** Whether {@code code} is {@code ancestor} or below it in the R4 IssueType hierarchy. */
  public static boolean isWithin(String code, String ancestor) {
    for (String c = code; c != null; c = PARENT.get(c)) {
      if (c.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code issueType} is acceptable for {@code status} per the spec table. */
  public static boolean fitsStatus(int status, String issueType) {
    Set<String> allowed = STATUS_TYPES.get(status);
    if (allowed == null) {
      fail("no IssueType rule for status " + status);
    }
    return allowed.stream().anyMatch(a -> isWithin(issueType, a));
  }

  public static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The only X-Request-ID of the response; fails when it is absent or repeated. */
  public static String requestId(HttpResponse<?> response) {
    List<String> ids = response.headers().allValues("X-Request-ID");
    assertEquals(1, ids.size(),
        () -> "exactly one X-Request-ID expected in " + describe(response) + ": " + ids);
    return ids.get(0);
  }

  /** Method, path, status and headers of a response, for failure messages. */
  public static String describe(HttpResponse<?> response) {
    return response.request().method() + " " + response.request().uri().getPath() + " -> "
        + response.statusCode() + " " + response.headers().map();
  }

  /** Whether the response Content-Type says XML (otherwise JSON is expected). */
  public static boolean isXml(HttpResponse<?> response) {
    return contentType(response).toLowerCase(Locale.ROOT).contains("xml");
  }

  /**
   * Parses the body as an OperationOutcome with HAPI's parser for the declared FHIR content type
   * and fails when that is not possible.
   */
  public static OperationOutcome parse(HttpResponse<String> response) {
    String type = contentType(response).toLowerCase(Locale.ROOT).replace(" ", "");
    assertTrue(
        type.startsWith("application/fhir+json") || type.startsWith("application/fhir+xml"),
        () -> "FHIR content type expected, got '" + type + "' for body " + response.body());
    try {
      return type.startsWith("application/fhir+xml")
          ? fhir().newXmlParser().parseResource(OperationOutcome.class, response.body())
          : fhir().newJsonParser().parseResource(OperationOutcome.class, response.body());
    } catch (RuntimeException e) {
      throw new AssertionError(
          "not a parseable OperationOutcome (" + type + "): " + response.body(), e);
    }
  }

  /** The catalog coding of an issue, or null. */
  public static Coding catalogCoding(OperationOutcomeIssueComponent issue) {
    return issue.getDetails().getCoding().stream()
        .filter(c -> CODE_SYSTEM.equals(c.getSystem()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Asserts a complete fhirguard error: the status, a parseable OperationOutcome whose id is the
   * X-Request-ID, a first issue with severity error, an IssueType fitting the status, and the
   * catalog coding {@code code} (null: any catalog code) with details text.
   */
  public static OperationOutcome assertError(
      HttpResponse<String> response, int status, String code) {
    String where = " (" + response.request().method() + " " + response.uri() + ")";
    assertEquals(status, response.statusCode(), () -> "status" + where + ": " + response.body());
    OperationOutcome outcome = parse(response);
    assertFalse(outcome.getIssue().isEmpty(), () -> "no issue" + where + ": " + response.body());
    assertEquals(
        requestId(response),
        outcome.getIdElement().getIdPart(),
        () -> "OperationOutcome.id must be X-Request-ID" + where);
    OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertNotNull(issue.getSeverity(), "severity" + where);
    assertEquals("error", issue.getSeverity().toCode(), "severity" + where);
    String type = issue.getCode() == null ? null : issue.getCode().toCode();
    assertTrue(
        type != null && fitsStatus(status, type),
        () -> "issue.code '" + type + "' does not fit status " + status + where + ": "
            + response.body());
    Coding coding = catalogCoding(issue);
    assertNotNull(coding, () -> "catalog coding missing" + where + ": " + response.body());
    if (code != null) {
      assertEquals(code, coding.getCode(), () -> "catalog code" + where + ": " + response.body());
    }
    assertFalse(
        issue.getDetails().getText() == null || issue.getDetails().getText().isBlank(),
        () -> "details.text missing" + where + ": " + response.body());
    return outcome;
  }

  /** As {@link #assertError} and the Content-Type must be exactly the FHIR type of {@code xml}. */
  public static OperationOutcome assertError(
      HttpResponse<String> response, int status, String code, boolean xml) {
    OperationOutcome outcome = assertError(response, status, code);
    String expected = xml ? XML_TYPE : JSON_TYPE;
    assertEquals(
        expected,
        contentType(response).toLowerCase(Locale.ROOT).replace(" ", ""),
        () -> "Content-Type of " + response.uri());
    return outcome;
  }

  /** The diagnostics of the first issue. */
  public static String diagnostics(OperationOutcome outcome) {
    return outcome.getIssueFirstRep().getDiagnostics();
  }
}
