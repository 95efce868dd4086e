package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestIds;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the answer to an error the container raised outside the filter chain (parse errors,
 * errors before or after the filter), independent of the container's API: the caller describes
 * the problem, this returns the status, headers and body to send. Reached through {@link
 * ErrorHandler#answer}.
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
   * The answer to {@code problem}, whose failure {@code classify} finds (and logs) with the
   * transaction id in the MDC.
   */
  ContainerAnswer answer(ContainerError problem, Function<ContainerError, Failure> classify) {
    RequestIdentity identity =
        problem.attribute().apply(RequestIdentity.ATTRIBUTE) instanceof RequestIdentity known
            ? known
            : tracking.identify(problem.header().apply(RequestIds.REQUEST_ID_HEADER));
    try (MdcScope scope = tracking.open(identity)) {
      Failure failure = classify.apply(problem);
      Map<String, String> headers = new LinkedHashMap<>();
      RequestTracking.writeHeaders(headers::put, identity);
      headers.put(ErrorResponder.CACHE_CONTROL, ErrorResponder.NO_STORE);
      requiredHeaders.complete(failure.status(),
          name -> problem.responseHeader().apply(name) != null, headers::put,
          () -> AllowedMethods.fallback(problem.method()));
      if (!ErrorResponder.hasBody(problem.method(), failure.status())) {
        return new ContainerAnswer(failure.status(), headers, null, null);
      }
      Format format =
          FormatNegotiator.negotiate(
              problem.query(), problem.header().apply("Accept"),
              problem.header().apply("Content-Type"));
      byte[] body = renderer.render(failure, identity.requestId(), format);
      return new ContainerAnswer(failure.status(), headers, format.contentType(), body);
    }
  }

  /** The failure of an error status the container recorded, without an exception. */
  static Failure failureOfStatus(ContainerError problem) {
    int status = problem.status() >= 400 ? problem.status() : 500;
    return problem.unparsed() && status == 400
        ? Failure.of(ErrorCode.MALFORMED_REQUEST, problem.message())
        : Failure.ofStatus(status, problem.message());
  }
}
