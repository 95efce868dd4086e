package dev.fhirguard.client.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * Values of an OperationOutcome of any FHIR version: the catalog code (the code of an {@code
 * issue.details.coding} under a code system), the first {@code diagnostics}, the id.
 */
public final class OutcomeReader {

  /** fhirguard's catalog code system ({@code fhirguard.outcome.code-system}'s default). */
  public static final String FHIRGUARD_CODE_SYSTEM = "https://fhirguard.dev/CodeSystem/error-code";

  private OutcomeReader() {}

  /** The code of the first issue coding under {@code system}, or {@code null}. */
  public static String catalogCode(IBaseOperationOutcome outcome, String system) {
    if (outcome == null || system == null) {
      return null;
    }
    FhirTerser terser = context(outcome).newTerser();
    for (IBase issue : terser.getValues(outcome, "issue")) {
      for (IBase coding : terser.getValues(issue, "details.coding")) {
        if (system.equals(terser.getSinglePrimitiveValueOrNull(coding, "system"))) {
          return terser.getSinglePrimitiveValueOrNull(coding, "code");
        }
      }
    }
    return null;
  }

  /** Whether an issue of {@code outcome} has {@code issue.code} {@code code}. */
  public static boolean hasIssueCode(IBaseOperationOutcome outcome, String code) {
    if (outcome == null) {
      return false;
    }
    FhirTerser terser = context(outcome).newTerser();
    for (IBase issue : terser.getValues(outcome, "issue")) {
      if (code.equals(terser.getSinglePrimitiveValueOrNull(issue, "code"))) {
        return true;
      }
    }
    return false;
  }

  /** The first issue's {@code diagnostics}, or {@code null}. */
  public static String diagnostics(IBaseOperationOutcome outcome) {
    if (outcome == null) {
      return null;
    }
    String text = OperationOutcomeUtil.getFirstIssueDiagnostics(context(outcome), outcome);
    return text == null || text.isBlank() ? null : text;
  }

  /** The outcome's logical id (fhirguard writes the transaction id there), or {@code null}. */
  public static String id(IBaseOperationOutcome outcome) {
    if (outcome == null || outcome.getIdElement() == null) {
      return null;
    }
    String id = outcome.getIdElement().getIdPart();
    return id == null || id.isBlank() ? null : id;
  }

  private static FhirContext context(IBaseOperationOutcome outcome) {
    return FhirContext.forCached(outcome.getStructureFhirVersionEnum());
  }
}
