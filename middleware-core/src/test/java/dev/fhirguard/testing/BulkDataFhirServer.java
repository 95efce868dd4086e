package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * A HAPI R4 server whose system-level {@code $export} starts a job of a {@link BulkDataServlet}
 * (202 and its status URL), as a HAPI-based Bulk Data server would: HAPI routes the kick-off, with
 * its own reading of the URL. With {@link BulkDataServlet.Kickoff#HAPI_REFUSE_THEN_HOLD} the
 * operation throws HAPI's 400 instead, and the request is held once HAPI has sent it.
 */
public final class BulkDataFhirServer extends RestfulServer {

  public BulkDataFhirServer(BulkDataServlet jobs) {
    super(FhirContext.forR4Cached());
    setPlainProviders(List.of(new SystemExport(jobs)));
    registerInterceptor(new HoldAfterAnswer(jobs));
  }

  /** Holds a kick-off HAPI has answered, when the jobs servlet asked for it. */
  public static final class HoldAfterAnswer {
    private final BulkDataServlet jobs;

    HoldAfterAnswer(BulkDataServlet jobs) {
      this.jobs = jobs;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void holdIfAsked(ServletRequestDetails details) {
      jobs.holdIfAnsweredByHapi(details.getServletRequest());
    }
  }

  /** The system-level kick-off. */
  public static final class SystemExport {
    private final BulkDataServlet jobs;

    SystemExport(BulkDataServlet jobs) {
      this.jobs = jobs;
    }

    @Operation(name = "$export", idempotent = true, manualResponse = true)
    public void export(HttpServletRequest request, HttpServletResponse response) {
      jobs.startJob(request, response);
    }
  }
}
