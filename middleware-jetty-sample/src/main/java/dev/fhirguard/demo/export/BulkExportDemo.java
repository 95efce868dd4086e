package dev.fhirguard.demo.export;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.bulk.BulkExport;
import dev.fhirguard.FhirGuard;
import java.time.Clock;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A real FHIR Bulk Data 2.0 export for the sample: kick-offs as HAPI operations on {@code
 * fhirServer}, the status URL and the files as servlets under the same FHIR base (so they need
 * the bearer token), jobs on a small executor started and stopped with the context, and a demo
 * switch at {@code /admin/export}. Every error answer comes from {@link FhirGuard#bulkExport()}.
 */
public final class BulkExportDemo {

  private BulkExportDemo() {}

  /**
   * @param fhirPath where {@code fhirServer} is mapped, e.g. {@code /fhir}
   */
  public static void install(ServletContextHandler context, FhirGuard guard,
      RestfulServer fhirServer, String fhirPath, ExportSources sources) {
    BulkExport answers = guard.bulkExport();
    ExportGate gate = new ExportGate();
    Clock clock = Clock.systemUTC();
    ExportJobs jobs = new ExportJobs(gate,
        new ExportRunner(sources, answers, gate, clock, ExportJobs.KEEP), clock);
    context.addManaged(jobs);
    fhirServer.registerProvider(new KickoffOperations(jobs, sources, answers));
    // Exact and longer path mappings win over the FHIR servlet's fhirPath + "/*".
    context.addServlet(new ServletHolder("export-status", new ExportStatusServlet(jobs, answers)),
        fhirPath + ExportUrls.STATUS_PATH);
    context.addServlet(new ServletHolder("export-files", new ExportFileServlet(jobs, answers)),
        fhirPath + ExportUrls.FILE_PATH + "/*");
    context.addServlet(new ServletHolder("export-admin", new ExportAdminServlet(jobs)),
        "/admin/export");
  }
}
