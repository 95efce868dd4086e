package dev.fhirguard.spring.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Assertions on error answers: one OperationOutcome with the catalog code, one transaction id. */
public final class Outcomes {

  public static final String CODE_SYSTEM = "https://fhirguard.dev/CodeSystem/error-code";

  private Outcomes() {}

  /**
   * Asserts that {@code response} is {@code status} with an OperationOutcome of catalog code
   * {@code code}, exactly one {@code X-Request-ID} equal to the outcome's id, and no trace of the
   * secret failure text; returns the outcome.
   */
  public static OperationOutcome assertOutcome(Raw.Response response, int status, String code) {
    assertEquals(status, response.status(), response::toString);
    String requestId = response.header("X-Request-ID");
    assertTrue(response.header("Content-Type").startsWith("application/fhir+json"),
        response::toString);
    OperationOutcome outcome = (OperationOutcome) FhirContext.forR4Cached().newJsonParser()
        .parseResource(response.body());
    assertEquals(requestId, outcome.getIdElement().getIdPart(), response::toString);
    assertEquals(1, outcome.getIssue().size(), response::toString);
    var coding = outcome.getIssueFirstRep().getDetails().getCodingFirstRep();
    assertEquals(CODE_SYSTEM, coding.getSystem(), response::toString);
    assertEquals(code, coding.getCode(), response::toString);
    assertFalse(response.body().contains("hunter2") || response.body().contains("Exception"),
        response::toString);
    return outcome;
  }
}
