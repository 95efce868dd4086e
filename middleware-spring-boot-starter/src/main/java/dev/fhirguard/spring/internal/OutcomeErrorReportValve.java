package dev.fhirguard.spring.internal;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.FhirGuard;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's host-level error report as an OperationOutcome: the errors Tomcat raises where no
 * filter and no error page can see them (a broken {@code %}-escape, an illegal character in the
 * path, headers larger than {@code server.max-http-request-header-size}, a malformed header),
 * which Tomcat would answer with its HTML page. Added to the host's pipeline after Boot's own
 * {@link ErrorReportValve}, it reports first; the errors of the application still go to the error
 * page. Answered through the guard's container seam, {@link FhirGuard#answer(ContainerError)}, as
 * the Jetty adapter's are.
 */
public final class OutcomeErrorReportValve extends ErrorReportValve {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeErrorReportValve.class);

  private final FhirGuard guard;

  public OutcomeErrorReportValve(FhirGuard guard) {
    this.guard = guard;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    if (response.getStatus() < 400 || response.getContentWritten() > 0
        || !response.setErrorReported()) {
      return;
    }
    try {
      send(response, guard.answer(problem(request, response, throwable)));
    } catch (IOException | RuntimeException e) {
      LOG.debug("The error report could not be written: {}", e.toString());
    }
  }

  /**
   * The error as Tomcat recorded it: its status and message, and the exception only behind a
   * server error (Tomcat keeps its parser's exception also when it answers 400, where the status
   * must stand).
   */
  private static ContainerError problem(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    return new ContainerError(false, request.getMethod(), pathOf(request),
        request.getQueryString(), request::getHeader, request::getAttribute, status,
        response.getMessage(), status >= 500 ? throwable : null, response::getHeader);
  }

  private static String pathOf(Request request) {
    try {
      return request.getRequestURI();
    } catch (RuntimeException unparsed) {
      return null;
    }
  }

  private static void send(Response response, ContainerAnswer answer) throws IOException {
    response.resetBuffer();
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    if (answer.body() != null) {
      response.setContentType(answer.contentType());
      response.setContentLength(answer.body().length);
      response.getOutputStream().write(answer.body());
    }
  }
}
