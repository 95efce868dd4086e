package dev.fhirguard.testing;

import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.internal.outcome.ContainerErrors;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.ExceptionClassifier;
import dev.fhirguard.internal.outcome.OutcomeRenderer;
import dev.fhirguard.internal.outcome.RequiredHeaders;
import dev.fhirguard.internal.tracking.RequestTracking;

/** The one error handler of a guard with {@code settings}, for unit tests below the facade. */
public final class ErrorHandlers {

  private ErrorHandlers() {}

  /** Built-in exception mappings, the realm {@code fhir}, no listeners. */
  public static ErrorHandler of(ResolvedSettings settings) {
    OutcomeRenderer renderer = new OutcomeRenderer(settings);
    RequestTracking tracking = new RequestTracking(settings);
    RequiredHeaders required = new RequiredHeaders("fhir");
    return new ErrorHandler(ExceptionClassifier.BUILT_IN,
        new ErrorResponder(renderer, tracking, required),
        new ContainerErrors(renderer, tracking, required), GuardEvents.NONE);
  }
}
