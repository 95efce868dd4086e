package dev.fhirguard.internal.admission;

import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.auth.Authenticator;
import dev.fhirguard.internal.config.PathRules;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** Refuses requests outside the exempt paths with 503 MAINTENANCE while maintenance is on. */
final class MaintenanceStage implements Stage {

  private final MaintenanceMode mode;
  private final List<String> exemptPaths;
  private final Failure refusal;
  private final ErrorResponder responder;

  MaintenanceStage(MaintenanceMode mode, List<String> exemptPaths, Failure refusal,
      ErrorResponder responder) {
    this.mode = mode;
    this.exemptPaths = List.copyOf(exemptPaths);
    this.refusal = refusal;
    this.responder = responder;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST && mode.isOn()
        && !PathRules.matchesAny(exemptPaths, Authenticator.pathOf(request))) {
      responder.refuse(request, response, refusal);
      return;
    }
    next.proceed(request, response);
  }
}
