package dev.fhirguard.internal.admission;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.chain.RequestPath;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.config.PathRules;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** Refuses requests outside the exempt paths with 503 MAINTENANCE while maintenance is on. */
public final class MaintenanceStage implements Stage {

  private final MaintenanceMode mode;
  private final List<String> exemptPaths;
  private final Failure refusal;
  private final ErrorHandler errors;

  /** The stage of {@code admission}'s maintenance switch, with {@code settings}. */
  public static MaintenanceStage of(Admission admission, GuardSettings.Maintenance settings,
      ErrorHandler errors) {
    Failure refusal = Failure.retryLater(ErrorCode.MAINTENANCE,
        "The server is down for scheduled maintenance.", settings.retryAfter());
    return new MaintenanceStage(admission.maintenanceMode(), settings.exemptPaths(), refusal,
        errors);
  }

  private MaintenanceStage(MaintenanceMode mode, List<String> exemptPaths, Failure refusal,
      ErrorHandler errors) {
    this.mode = mode;
    this.exemptPaths = List.copyOf(exemptPaths);
    this.refusal = refusal;
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST && mode.isOn()
        && !PathRules.matchesAny(exemptPaths, RequestPath.of(request))) {
      errors.refuse(request, response, refusal, "admission");
      return;
    }
    next.proceed(request, response);
  }
}
