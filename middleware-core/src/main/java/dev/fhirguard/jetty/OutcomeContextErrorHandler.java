package dev.fhirguard.jetty;

import dev.fhirguard.FhirGuard;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The context-level Jetty error handler: an {@link ErrorPageErrorHandler} (a {@code WebAppContext}
 * requires one) that answers every error of every method with an OperationOutcome instead of
 * dispatching to error pages.
 */
final class OutcomeContextErrorHandler extends ErrorPageErrorHandler {

  private final OutcomeErrorHandler outcomes;

  OutcomeContextErrorHandler(Supplier<FhirGuard> guard) {
    this.outcomes = new OutcomeErrorHandler(guard);
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    return outcomes.handle(request, response, callback);
  }
}
