package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.FhirTerser;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/** Builds and repairs the OperationOutcomes HAPI sends, in the FHIR version of the server. */
public final class HapiOutcomes {

  /**
   * The contract between the two halves of fhirguard: the request attribute this sets once HAPI's
   * outcome for the request is repaired and safe to send as is. The filter's response wrapper
   * replaces any other 5xx body, FHIR or not, with the generic outcome.
   */
  public static final String SAFE_OUTCOME_ATTRIBUTE =
      HapiOutcomes.class.getName() + ".safeOutcome";

  private final OutcomeRenderer renderer;

  public HapiOutcomes(OutcomeRenderer renderer) {
    this.renderer = renderer;
  }

  public IBaseOperationOutcome newOutcome(RequestDetails request, Failure failure) {
    return renderer.outcome(request.getFhirContext(), failure, request.getRequestId());
  }

  /**
   * Server errors get a fresh generic outcome ({@code response} is {@code null} on HAPI 8.0). Client errors keep their issues, but an issue
   * whose code is HAPI's catch-all {@code processing} gets the code of the status, diagnostics are
   * sanitized, and the first issue gets the catalog coding when it has no details.
   */
  public void decorate(
      RequestDetails request, IBaseOperationOutcome outcome, ResponseDetails response,
      Failure failure) {
    request.getResponse().addHeader(ErrorResponder.CACHE_CONTROL, ErrorResponder.NO_STORE);
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
      servlet.getServletRequest().setAttribute(SAFE_OUTCOME_ATTRIBUTE, Boolean.TRUE);
    }
    if (failure.status() >= 500) {
      // Without ResponseDetails (HAPI 8.0) the outcome is the one fhirguard's replacement
      // exception carries, the generic one already.
      if (response != null) {
        response.setResponseResource(newOutcome(request, failure));
      }
      return;
    }
    FhirContext context = request.getFhirContext();
    FhirTerser terser = context.newTerser();
    List<IBase> issues = terser.getValues(outcome, "issue");
    boolean coded = false;
    for (IBase issue : issues) {
      boolean error = isError(terser, issue);
      if (error) {
        repairCode(terser, issue, failure);
      }
      repairDiagnostics(terser, issue, failure);
      if (error && !coded) {
        renderer.addCatalogCoding(context, issue, failure.code());
        coded = true;
      }
    }
    if (issues.isEmpty() && response != null) {
      response.setResponseResource(newOutcome(request, failure));
      return;
    }
    OutcomeRenderer.identify(outcome, request.getRequestId());
    OutcomeRenderer.addTraceId(context, outcome, renderer.traceId());
  }

  /** An error issue keeps its code only when it is the catalog's type or more precise. */
  private static boolean isError(FhirTerser terser, IBase issue) {
    String severity = terser.getSinglePrimitiveValueOrNull(issue, "severity");
    return "error".equals(severity) || "fatal".equals(severity);
  }

  private static void repairCode(FhirTerser terser, IBase issue, Failure failure) {
    String wanted = failure.code().issueType();
    IPrimitiveType<?> code = terser.getSingleValueOrNull(issue, "code", IPrimitiveType.class);
    if (code == null) {
      terser.setElement(issue, "code", wanted);
    } else if (!IssueTypes.isWithin(code.getValueAsString(), wanted)) {
      code.setValueAsString(wanted);
    }
  }

  private void repairDiagnostics(FhirTerser terser, IBase issue, Failure failure) {
    IPrimitiveType<?> diagnostics =
        terser.getSingleValueOrNull(issue, "diagnostics", IPrimitiveType.class);
    if (diagnostics != null && diagnostics.getValueAsString() != null) {
      diagnostics.setValueAsString(
          renderer.diagnosticsText(failure.code(), diagnostics.getValueAsString(), null));
    }
  }
}
