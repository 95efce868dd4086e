package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestIds;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Answers errors the container raises outside the filter chain (parse errors, errors before or
 * after the filter), independent of the container's API: the caller describes the problem, this
 * returns the status, headers and body to send.
 */
public final class ContainerErrors {

  private final OutcomeRenderer renderer;
  private final RequestTracking tracking;
  private final RequiredHeaders requiredHeaders;

  public ContainerErrors(
      OutcomeRenderer renderer, RequestTracking tracking, RequiredHeaders requiredHeaders) {
    this.renderer = renderer;
    this.tracking = tracking;
    this.requiredHeaders = requiredHeaders;
  }

  /**
   * What went wrong; {@code header} looks up request headers and {@code responseHeader} the
   * headers already on the response (both return null when absent); {@code unparsed} when the
   * container could not parse the request at all.
   */
  public record Problem(
      boolean unparsed,
      String method,
      String path,
      String query,
      UnaryOperator<String> header,
      int status,
      String message,
      Throwable cause,
      Object knownIdentity,
      UnaryOperator<String> responseHeader) {}

  /** What to send; {@code body} and {@code contentType} are null when no body is allowed. */
  public record Answer(int status, Map<String, String> headers, String contentType, byte[] body) {}

  public Answer answer(Problem problem) {
    RequestIdentity identity =
        problem.knownIdentity() instanceof RequestIdentity known
            ? known
            : tracking.identify(problem.header().apply(RequestIds.REQUEST_ID_HEADER));
    try (MdcScope scope = tracking.open(identity)) {
      Failure failure = failureOf(problem);
      Map<String, String> headers = new LinkedHashMap<>();
      RequestTracking.writeHeaders(headers::put, identity);
      headers.put(ErrorResponder.CACHE_CONTROL, ErrorResponder.NO_STORE);
      requiredHeaders.complete(failure.status(),
          name -> problem.responseHeader().apply(name) != null, headers::put,
          () -> AllowedMethods.fallback(problem.method()));
      if (!ErrorResponder.hasBody(problem.method(), failure.status())) {
        return new Answer(failure.status(), headers, null, null);
      }
      Format format =
          FormatNegotiator.negotiate(
              problem.query(), problem.header().apply("Accept"),
              problem.header().apply("Content-Type"));
      byte[] body = renderer.render(failure, identity.requestId(), format);
      return new Answer(failure.status(), headers, format.contentType(), body);
    }
  }

  private static Failure failureOf(Problem problem) {
    if (problem.cause() != null) {
      Failure failure = Failures.classify(problem.cause(), problem.method());
      FailureLog.log(problem.method(), problem.path(), failure, problem.cause(), false);
      return failure;
    }
    int status = problem.status() >= 400 ? problem.status() : 500;
    Failure failure =
        problem.unparsed() && status == 400
            ? Failure.of(ErrorCode.MALFORMED_REQUEST, problem.message())
            : Failure.ofStatus(status, problem.message());
    FailureLog.answered(
        problem.unparsed() ? "(unparseable" : problem.method(),
        problem.unparsed() ? "request)" : problem.path(),
        failure);
    return failure;
  }
}
