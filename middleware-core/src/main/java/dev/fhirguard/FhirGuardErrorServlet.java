package dev.fhirguard;

import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.Failures;
import dev.fhirguard.internal.outcome.FailureLog;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Renders container errors as OperationOutcomes. Map it as the global {@code <error-page>} of a
 * {@code web.xml} deployment, for every method (it answers PUT, DELETE and PATCH too).
 */
public final class FhirGuardErrorServlet extends HttpServlet {

  private transient volatile FhirGuard guard;

  /** For {@code web.xml}: uses the guard published by {@link FhirGuardFilter}. */
  public FhirGuardErrorServlet() {}

  FhirGuardErrorServlet(FhirGuard guard) {
    this.guard = guard;
  }

  /** Finds the guard the filter published, so a bad configuration fails at start-up. */
  @Override
  public void init() {
    guard();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    FhirGuard active = guard();
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    Failure failure;
    if (error instanceof Throwable throwable) {
      failure = Failures.classify(throwable, request.getMethod(), active.upstreams().classifier());
      FailureLog.log(request.getMethod(),
          String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), failure,
          throwable, false);
    } else {
      // A status the container recorded (a sendError outside the filter); requested directly
      // rather than dispatched by the container, there is nothing here: 404.
      int code = status instanceof Integer number && number >= 400 ? number : 404;
      failure = Failures.ofSendError(code, message instanceof String text ? text : null,
          request.getMethod());
    }
    active.responder().respond(request, response, failure);
  }

  private synchronized FhirGuard guard() {
    FhirGuard current = guard;
    if (current == null) {
      current = FhirGuard.published(getServletContext());
      guard = current;
    }
    return current;
  }
}
