package dev.fhirguard.internal.outcome;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.internal.text.LogSafe;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The one error path. Every entry point (the filter's error boundary, the HAPI interceptor, the
 * error servlet, the container adapters, fhirguard's own refusals) hands what went wrong to one
 * method here; it classifies with the one {@link ExceptionClassifier} (the configured mappings
 * included), logs once ({@link FailureLog}), tells the listeners once, and renders through the
 * one {@link ErrorResponder}.
 */
public final class ErrorHandler {

  /** The stage of answers to exceptions and error statuses of the application (or HAPI). */
  private static final String APPLICATION = "application";
  /** The stage of answers to errors the container raised outside the filter chain. */
  private static final String CONTAINER = "container";

  private final ExceptionClassifier classifier;
  private final ErrorResponder responder;
  private final ContainerErrors containerErrors;
  private final GuardEvents events;

  public ErrorHandler(ExceptionClassifier classifier, ErrorResponder responder,
      ContainerErrors containerErrors, GuardEvents events) {
    this.classifier = classifier;
    this.responder = responder;
    this.containerErrors = containerErrors;
    this.events = events;
  }

  public ExceptionClassifier classifier() {
    return classifier;
  }

  public ErrorResponder responder() {
    return responder;
  }

  /** What an exception escaping the application while answering {@code request} stands for. */
  public Failure classify(HttpServletRequest request, Throwable error) {
    return classifier.classify(error, request.getMethod(), request.getQueryString());
  }

  /**
   * Whether {@code error} is the client going away mid-response: nothing to answer, logged at
   * DEBUG only.
   */
  public boolean clientWentAway(Throwable error) {
    if (!ExceptionClassifier.isClientAbort(error)) {
      return false;
    }
    if (FailureLog.logger().isDebugEnabled()) {
      FailureLog.logger()
          .debug("Client closed the connection: {}", LogSafe.clean(error.toString(), 200));
    }
    return true;
  }

  /**
   * An exception escaped the application: classified, logged once (as the partial response it
   * caused when {@code committed}) and told to the listeners. Returns what to answer.
   */
  public Failure exception(String method, String path, String query, ServletRequest request,
      Throwable error, boolean committed) {
    Failure failure = classifier.classify(error, method, query);
    FailureLog.log(method, path, failure, error, committed);
    tell(failure, request, APPLICATION);
    return failure;
  }

  /** As {@link #exception(String, String, String, ServletRequest, Throwable, boolean)}. */
  public Failure exception(HttpServletRequest request, Throwable error, boolean committed) {
    return exception(request.getMethod(), request.getRequestURI(), request.getQueryString(),
        request, error, committed);
  }

  /**
   * The application answered an error without an exception ({@code sendError}, a bare error
   * status, an error body that is not FHIR): logged and told; returns {@code failure}.
   */
  public Failure answered(HttpServletRequest request, Failure failure) {
    FailureLog.answered(request.getMethod(), request.getRequestURI(), failure);
    tell(failure, request, APPLICATION);
    return failure;
  }

  /** As {@link #answered}, for {@code sendError(status, message)}. */
  public Failure sendError(HttpServletRequest request, int status, String message) {
    return answered(request, ExceptionClassifier.ofSendError(status, message, request.getMethod()));
  }

  /** The application did not complete an async request in time: logged, told; a 503. */
  public Failure timedOut(HttpServletRequest request) {
    FailureLog.logger().warn("{} {} timed out before the application answered",
        LogSafe.clean(request.getMethod(), 16), LogSafe.clean(request.getRequestURI(), 200));
    Failure failure = Failure.of(ErrorCode.SERVICE_UNAVAILABLE, null);
    tell(failure, request, APPLICATION);
    return failure;
  }

  /**
   * Refuses a request that fhirguard itself turned down in {@code stage} (see {@code
   * GuardListener.Outcome}): logs it once, tells the listeners, and sends {@code failure}, through
   * the error boundary's response when there is one.
   */
  public void refuse(HttpServletRequest request, ServletResponse response, Failure failure,
      String stage) throws IOException {
    FailureLog.answered(request.getMethod(), request.getRequestURI(), failure);
    tell(failure, request, stage);
    FailureSink boundary = FailureSink.in(response);
    if (boundary != null) {
      boundary.fail(failure);
    } else {
      responder.respond(request, (HttpServletResponse) response, failure);
    }
  }

  /**
   * Answers the error dispatch of the error servlet: the exception or status the container
   * recorded. Requested directly rather than dispatched by the container, it has nothing: 404.
   */
  public void dispatched(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Failure failure;
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error) {
      failure = exception(request.getMethod(),
          String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), null,
          request, error, false);
    } else {
      Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
      Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
      failure = ExceptionClassifier.ofSendError(
          status instanceof Integer code && code >= 400 ? code : 404,
          message instanceof String text ? text : null, request.getMethod());
    }
    responder.respond(request, response, failure);
  }

  /** Answers an error the container raised outside the filter chain; logged and told. */
  public ContainerAnswer answer(ContainerError problem) {
    return containerErrors.answer(problem, this::containerFailure);
  }

  private Failure containerFailure(ContainerError problem) {
    if (problem.cause() != null) {
      Failure failure = classifier.classify(problem.cause(), problem.method(), problem.query());
      FailureLog.log(problem.method(), problem.path(), failure, problem.cause(), false);
      events.outcome(failure.status(), failure.code(), null, CONTAINER);
      return failure;
    }
    Failure failure = ContainerErrors.failureOfStatus(problem);
    FailureLog.answered(problem.unparsed() ? "(unparseable" : problem.method(),
        problem.unparsed() ? "request)" : problem.path(), failure);
    events.outcome(failure.status(), failure.code(), null, CONTAINER);
    return failure;
  }

  private void tell(Failure failure, ServletRequest request, String stage) {
    if (events.any()) {
      Object client = request == null ? null : request.getAttribute(VerifiedClient.ATTRIBUTE);
      events.outcome(failure.status(), failure.code(),
          client instanceof VerifiedClient verified ? verified.clientId() : null, stage);
    }
  }
}
