package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.outcome.Failures;
import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.outcome.UpstreamClassifier;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Runs the rest of the chain against a {@link GuardedResponse} and turns whatever goes wrong into
 * an OperationOutcome: error statuses, non-FHIR error bodies and exceptions, on the request
 * thread or asynchronously. Exceptions are logged with the transaction id (in the MDC); clients
 * see only the catalog text.
 */
public final class ErrorBoundaryStage implements Stage {

  private final ErrorResponder responder;
  private final RequestTracking tracking;
  private final UpstreamClassifier upstreams;

  public ErrorBoundaryStage(
      ErrorResponder responder, RequestTracking tracking, UpstreamClassifier upstreams) {
    this.responder = responder;
    this.tracking = tracking;
    this.upstreams = upstreams;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    GuardedResponse guarded = GuardedResponse.in(response);
    HttpServletRequest downstream = request;
    if (guarded == null) { // first pass; an async dispatch comes back with the guarded pair
      RequestIdentity identity =
          (RequestIdentity) request.getAttribute(RequestIdentity.ATTRIBUTE);
      guarded = new GuardedResponse(request, response, responder, identity);
      downstream = new GuardedRequest(request, guarded, tracking, this);
    }
    try {
      next.proceed(downstream, guarded == response ? response : guarded);
    } catch (IOException | ServletException | RuntimeException | LinkageError | AssertionError e) {
      fail(request, guarded, e);
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

  private void fail(HttpServletRequest request, GuardedResponse guarded, Throwable error)
      throws IOException {
    if (Failures.isClientAbort(error)) {
      if (FailureLog.logger().isDebugEnabled()) {
        FailureLog.logger()
            .debug("Client closed the connection: {}", LogSafe.clean(error.toString(), 200));
      }
      return;
    }
    Failure failure =
        Failures.classify(error, request.getMethod(), request.getQueryString(), upstreams);
    boolean committed = guarded.isCommitted();
    guarded.fail(failure);
    FailureLog.log(request.getMethod(), request.getRequestURI(), failure, error, committed);
    if (committed) {
      GuardedResponse.abandonIfCommitted(guarded);
    }
  }

  /** A listener for a request that went async (made only then, off the common path). */
  AsyncListener asyncFailures(HttpServletRequest request, GuardedResponse guarded) {
    return new AsyncFailures(request, guarded);
  }

  /** Answers async requests that time out or fail before the application completes them. */
  private final class AsyncFailures implements AsyncListener {
    private final HttpServletRequest request;
    private final GuardedResponse guarded;

    AsyncFailures(HttpServletRequest request, GuardedResponse guarded) {
      this.request = request;
      this.guarded = guarded;
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      try (MdcScope scope = tracking.open(guarded.identity())) {
        FailureLog.logger()
            .warn("{} {} timed out before the application answered", request.getMethod(),
                LogSafe.clean(request.getRequestURI(), 200));
        guarded.fail(Failure.of(ErrorCode.SERVICE_UNAVAILABLE, null));
        event.getAsyncContext().complete();
      }
    }

    @Override
    public void onError(AsyncEvent event) throws IOException {
      try (MdcScope scope = tracking.open(guarded.identity())) {
        fail(request, guarded, event.getThrowable());
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
