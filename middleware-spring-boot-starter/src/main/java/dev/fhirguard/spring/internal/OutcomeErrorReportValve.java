package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuardErrorServlet;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
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
 * page. Rendered by the guard's {@link FhirGuardErrorServlet}, as if Tomcat had dispatched the
 * error to it.
 */
public final class OutcomeErrorReportValve extends ErrorReportValve {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeErrorReportValve.class);

  private final FhirGuardErrorServlet errorServlet;

  public OutcomeErrorReportValve(FhirGuardErrorServlet errorServlet) {
    this.errorServlet = errorServlet;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    if (response.getStatus() < 400 || response.getContentWritten() > 0
        || !response.setErrorReported()) {
      return;
    }
    try {
      errorServlet.service(new Dispatched(request.getRequest(), response, throwable),
          response.getResponse());
    } catch (ServletException | IOException | RuntimeException e) {
      LOG.debug("The error report could not be written", e);
    }
  }

  /**
   * The request as an error dispatch would show it to the error servlet: the status and message
   * Tomcat set, and the exception only behind a server error. Tomcat keeps its parser's exception
   * in the request also when it answers 400, where the status must stand.
   */
  private static final class Dispatched extends HttpServletRequestWrapper {

    private final int status;
    private final String message;
    private final Throwable throwable;

    Dispatched(HttpServletRequest request, Response response, Throwable throwable) {
      super(request);
      this.status = response.getStatus();
      this.message = response.getMessage();
      this.throwable = status >= 500 ? throwable : null;
    }

    @Override
    public Object getAttribute(String name) {
      return switch (name) {
        case RequestDispatcher.ERROR_STATUS_CODE -> status;
        case RequestDispatcher.ERROR_MESSAGE -> message;
        case RequestDispatcher.ERROR_EXCEPTION -> throwable;
        default -> super.getAttribute(name);
      };
    }
  }
}
