package dev.fhirguard.demo.export;

import dev.fhirguard.bulk.BulkExport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The files of completed export jobs, {@code <FHIR base>/$export-file/<job id>/<name>}, as {@code
 * application/fhir+ndjson}. Under {@code /fhir}, so they need the bearer token; only the client
 * that started the job gets them (404 {@code EXPORT_JOB_NOT_FOUND} for anybody else).
 */
final class ExportFileServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  static final String NDJSON = "application/fhir+ndjson";

  private final transient ExportJobs jobs;
  private final transient BulkExport answers;

  ExportFileServlet(ExportJobs jobs, BulkExport answers) {
    this.jobs = jobs;
    this.answers = answers;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] path = request.getPathInfo() == null ? new String[0]
        : request.getPathInfo().substring(1).split("/", -1);
    Optional<ExportJob> job = path.length == 2
        ? jobs.find(path[0], KickoffOperations.owner(request)) : Optional.empty();
    if (job.isEmpty()) {
      answers.jobNotFound(request, response);
      return;
    }
    byte[] content = job.get().file(path[1]);
    if (content == null) {
      response.sendError(404, "No such file in this export");
      return;
    }
    response.setContentType(NDJSON);
    response.setContentLength(content.length);
    response.getOutputStream().write(content);
  }
}
