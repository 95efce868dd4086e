package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.outcome.RequiredHeaders;
import dev.fhirguard.internal.outcome.AllowedMethods;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.ErrorCode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses {@code TRACE} everywhere (405): a servlet's default {@code doTrace} echoes the request,
 * {@code Authorization} header and bearer token included, to whatever can send one (cross-site
 * tracing). No FHIR interaction uses it.
 */
public final class TraceStage implements Stage {

  /** The methods a FHIR server may answer; the 405's {@code Allow} (RFC 9110 §15.5.6). */
  static final String ALLOW = AllowedMethods.header(AllowedMethods.FHIR_METHODS, "TRACE");

  private final ErrorHandler errors;

  public TraceStage(ErrorHandler errors) {
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if ("TRACE".equals(request.getMethod())
        && request.getDispatcherType() == DispatcherType.REQUEST) {
      errors.refuse(request, response, Failure.of(ErrorCode.METHOD_NOT_ALLOWED,
          "TRACE is not allowed: it would echo the request's credentials.")
          .withHeader(RequiredHeaders.ALLOW, ALLOW), "method");
      return;
    }
    next.proceed(request, response);
  }
}
