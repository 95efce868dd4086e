package dev.fhirguard;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import dev.fhirguard.internal.boundary.GuardedResponse;
import dev.fhirguard.internal.outcome.AllowedMethods;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.outcome.HapiAllowedMethods;
import dev.fhirguard.internal.outcome.HapiOutcomes;
import dev.fhirguard.internal.outcome.RequiredHeaders;
import dev.fhirguard.internal.text.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * The HAPI FHIR interceptor: gives HAPI's error outcomes the issue code that matches their status,
 * the catalog coding and the transaction id; hides the text of server errors (logging it instead);
 * and answers a wrong verb with 405. Register it on the {@code RestfulServer}.
 */
@Interceptor
public final class FhirGuardInterceptor {

  private static final String FAILURE_KEY = Failure.class.getName();

  private volatile FhirGuard guard;
  private volatile HapiOutcomes outcomes;

  /** For servers built by the container: uses the guard published by {@link FhirGuardFilter}. */
  public FhirGuardInterceptor() {}

  FhirGuardInterceptor(FhirGuard guard) {
    this.guard = guard;
  }

  /**
   * Classifies the exception, logs it once, and hands HAPI a safe replacement. Runs after the
   * application's own exception translators (the first non-null answer wins in HAPI).
   */
  @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = Integer.MAX_VALUE)
  public BaseServerResponseException classifyException(
      RequestDetails requestDetails, Throwable error, HttpServletResponse response) {
    String method = method(requestDetails);
    HttpServletRequest servletRequest = requestDetails instanceof ServletRequestDetails servlet
        ? servlet.getServletRequest() : null;
    String query = servletRequest != null ? servletRequest.getQueryString() : null;
    boolean committed = response != null && response.isCommitted();
    // HAPI has no request path yet when it failed to parse the request (a broken %-escape)
    String path = requestDetails.getRequestPath() != null || servletRequest == null
        ? requestDetails.getRequestPath() : servletRequest.getRequestURI();
    Failure failure = guard(requestDetails).errors()
        .exception(method, path, query, servletRequest, error, committed);
    requestDetails.getUserData().put(FAILURE_KEY, failure);
    if (committed) {
      GuardedResponse.abandonIfCommitted(response);
    }
    BaseServerResponseException replacement =
        replacementFor(requestDetails, error, failure, response);
    if (replacement.getOperationOutcome() == null) {
      replacement.setOperationOutcome(
          outcomes(requestDetails).newOutcome(requestDetails, failure));
    }
    return replacement;
  }

  /**
   * Checks the verified client's SMART scopes against the interaction HAPI selected (each entry
   * of a batch or transaction); answers 403 itself and stops HAPI when one is missing. Refusing
   * here rather than throwing keeps HAPI from logging a routine 403 as an error.
   */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean checkAccess(
      RequestDetails requestDetails, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    return guard(requestDetails).accessControl().permits(requestDetails, request, response);
  }

  /**
   * Fixes the outcome HAPI is about to send. HAPI 8.0 passes no {@code ResponseDetails}
   * (it is {@code null}): the status is then the one {@link #classifyException} found.
   */
  @Hook(Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME)
  public void decorateOutcome(
      RequestDetails requestDetails, IBaseOperationOutcome outcome, ResponseDetails response) {
    Object stashed = requestDetails.getUserData().get(FAILURE_KEY);
    Failure failure;
    if (response != null) {
      failure = stashed instanceof Failure known && known.status() == response.getResponseCode()
          ? known
          : Failure.ofStatus(response.getResponseCode(), null);
    } else if (stashed instanceof Failure known) {
      failure = known;
    } else {
      return; // no status to go by: the error boundary checks what HAPI sends
    }
    HapiOutcomes outcomes = outcomes(requestDetails);
    try {
      outcomes.decorate(requestDetails, outcome, response, failure);
    } catch (RuntimeException unrepairable) {
      // An outcome fhirguard cannot edit is replaced; a hook must never fail (HAPI would 500).
      FailureLog.logger().warn("Replaced an outcome that could not be repaired: {}",
          LogSafe.clean(unrepairable.toString(), 300));
      if (response != null) {
        response.setResponseResource(outcomes.newOutcome(requestDetails, failure));
      }
    }
  }

  private BaseServerResponseException replacementFor(RequestDetails requestDetails,
      Throwable error, Failure failure, HttpServletResponse response) {
    if (failure.status() >= 500) {
      // Never let the original message (SQL, class names, hosts) reach HAPI's outcome.
      BaseServerResponseException safe =
          BaseServerResponseException.newInstance(failure.status(), failure.code().defaultText());
      if (error instanceof BaseServerResponseException hapi && hapi.hasResponseHeaders()) {
        hapi.getResponseHeaders()
            .forEach((name, values) -> values.forEach(value -> safe.addResponseHeader(name, value)));
      }
      failure.headers().forEach(safe::addResponseHeader); // Retry-After of an upstream failure
      return safe;
    }
    BaseServerResponseException replacement =
        error instanceof BaseServerResponseException hapi
            && hapi.getStatusCode() == failure.status()
        ? hapi
        : BaseServerResponseException.newInstance(failure.status(), error.getMessage());
    // A 405 says which verbs would do, from HAPI's bindings; a 401 has its challenge (RFC 9110)
    RequiredHeaders requiredHeaders =
        guard(requestDetails).errors().responder().requiredHeaders();
    requiredHeaders.complete(failure.status(), name -> hasHeader(replacement, name),
        (name, value) -> addHeader(replacement, response, name, value),
        () -> AllowedMethods.header(HapiAllowedMethods.of(requestDetails), method(requestDetails)));
    return replacement;
  }

  /**
   * Adds a header to HAPI's answer: through the exception, or, for an empty value (an {@code
   * Allow} where nothing is bound, RFC 9110 §10.2.1) that HAPI refuses there, on the response.
   */
  private static void addHeader(BaseServerResponseException exception,
      HttpServletResponse response, String name, String value) {
    if (!value.isEmpty()) {
      exception.addResponseHeader(name, value);
    } else if (response != null) {
      response.setHeader(name, value);
    }
  }

  private static boolean hasHeader(BaseServerResponseException exception, String name) {
    return exception.hasResponseHeaders()
        && exception.getResponseHeaders().keySet().stream().anyMatch(name::equalsIgnoreCase);
  }

  private static String method(RequestDetails requestDetails) {
    return requestDetails.getRequestType() == null ? "GET" : requestDetails.getRequestType().name();
  }

  private HapiOutcomes outcomes(RequestDetails requestDetails) {
    HapiOutcomes current = outcomes;
    return current != null ? current : resolve(requestDetails);
  }

  private synchronized HapiOutcomes resolve(RequestDetails requestDetails) {
    if (outcomes == null) {
      outcomes = new HapiOutcomes(guard(requestDetails).renderer());
    }
    return outcomes;
  }

  private FhirGuard guard(RequestDetails requestDetails) {
    FhirGuard current = guard;
    if (current == null) {
      current = FhirGuard.published(
          requestDetails instanceof ServletRequestDetails servlet
              && servlet.getServletRequest() != null
              ? servlet.getServletRequest().getServletContext() : null);
      guard = current;
    }
    return current;
  }

}
