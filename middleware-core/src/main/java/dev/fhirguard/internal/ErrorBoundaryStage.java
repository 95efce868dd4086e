package dev.fhirguard.internal;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * Runs the rest of the chain against a {@link GuardedResponse} and turns whatever goes wrong into
 * an OperationOutcome: error statuses, non-FHIR error bodies and exceptions. Exceptions are
 * logged with the transaction id (in the MDC); clients see only the catalog text.
 */
final class ErrorBoundaryStage implements Stage {

  private static final Logger LOG = FailureLog.logger();

  private final ErrorResponder responder;
  private final RequestTracking tracking;

  ErrorBoundaryStage(ErrorResponder responder, RequestTracking tracking) {
    this.responder = responder;
    this.tracking = tracking;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    RequestIdentity identity = (RequestIdentity) request.getAttribute(RequestIdentity.ATTRIBUTE);
    GuardedResponse guarded = new GuardedResponse(request, response, responder, identity);
    try {
      next.proceed(request, guarded);
    } catch (IOException | ServletException | RuntimeException | LinkageError | AssertionError e) {
      fail(request, guarded, e);
      return;
    }
    if (request.isAsyncStarted()) {
      request.getAsyncContext().addListener(new AsyncFailures(request, guarded));
      return;
    }
    guarded.finish();
  }

  private static void fail(HttpServletRequest request, GuardedResponse guarded, Throwable error)
      throws IOException {
    if (Failures.isClientAbort(error)) {
      LOG.debug("Client closed the connection: {}", LogSafe.clean(error.toString(), 200));
      return;
    }
    Failure failure = Failures.classify(error, request.getMethod());
    boolean committed = guarded.isCommitted();
    guarded.fail(failure);
    FailureLog.log(request.getMethod(), request.getRequestURI(), failure, error, committed);
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
        timedOut(event);
      }
    }

    private void timedOut(AsyncEvent event) throws IOException {
      LOG.warn("{} {} timed out before the application answered", request.getMethod(),
          LogSafe.clean(request.getRequestURI(), 200));
      guarded.fail(Failure.of(dev.fhirguard.ErrorCode.SERVICE_UNAVAILABLE, null));
      event.getAsyncContext().complete();
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
