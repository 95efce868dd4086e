package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Runs the rest of the chain against a {@link GuardedResponse}, which hands whatever goes wrong
 * (error statuses, non-FHIR error bodies, exceptions, on the request thread or asynchronously) to
 * the one {@link ErrorHandler}. Exceptions are logged with the transaction id (in the MDC);
 * clients see only the catalog text.
 */
public final class ErrorBoundaryStage implements Stage {

  private final ErrorHandler errors;
  private final RequestTracking tracking;

  public ErrorBoundaryStage(ErrorHandler errors, RequestTracking tracking) {
    this.errors = errors;
    this.tracking = tracking;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    GuardedResponse guarded = GuardedResponse.in(response);
    HttpServletRequest downstream = request;
    if (guarded == null) { // first pass; an async dispatch comes back with the guarded pair
      RequestIdentity identity =
          (RequestIdentity) request.getAttribute(RequestIdentity.ATTRIBUTE);
      guarded = new GuardedResponse(request, response, errors, identity);
      downstream = new GuardedRequest(request, guarded, tracking);
    }
    try {
      next.proceed(downstream, guarded == response ? response : guarded);
    } catch (IOException | ServletException | RuntimeException | LinkageError | AssertionError e) {
      guarded.failed(e);
      abortIfAbandoned(request, guarded);
      return;
    }
    if (!request.isAsyncStarted()) {
      guarded.finish();
    }
    abortIfAbandoned(request, guarded);
  }

  /**
   * A failure after commit (here or in the HAPI interceptor) has been logged; the container must
   * now abort the connection, or it ends the partial response as if it were complete.
   */
  private static void abortIfAbandoned(HttpServletRequest request, GuardedResponse guarded)
      throws IOException {
    if (!request.isAsyncStarted() && guarded.takeAbort()) {
      throw AbortedResponse.create();
    }
  }
}
