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

/**
 * Answers errors the container raises outside the filter chain (parse errors, errors before or
 * after the filter), independent of the container's API: the caller describes the problem, this
 * returns the status, headers and body to send.
 */
public final class ContainerErrors {

  private final OutcomeRenderer renderer;
  private final RequestTracking tracking;
  private final UpstreamClassifier upstreams;
  private final RequiredHeaders requiredHeaders;

  /** @param upstreams the guard's classifier, with its configured exception mappings */
  public ContainerErrors(OutcomeRenderer renderer, RequestTracking tracking,
      UpstreamClassifier upstreams, RequiredHeaders requiredHeaders) {
    this.renderer = renderer;
    this.tracking = tracking;
    this.upstreams = upstreams;
    this.requiredHeaders = requiredHeaders;
  }

  public ContainerAnswer answer(ContainerError problem) {
    RequestIdentity identity =
        problem.attribute().apply(RequestIdentity.ATTRIBUTE) instanceof RequestIdentity known
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

  private Failure failureOf(ContainerError problem) {
    if (problem.cause() != null) {
      Failure failure = Failures.classify(problem.cause(), problem.method(), upstreams);
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
