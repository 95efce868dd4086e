package dev.fhirguard.demo.export;

import dev.fhirguard.bulk.BulkExport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The status URL of the export jobs, {@code <FHIR base>/$export-poll-status?_jobId=<id>}. {@code
 * GET}: 202 with {@code X-Progress} and {@code Retry-After} while the job runs, 200 with the
 * manifest when it is complete, 500 {@code EXPORT_JOB_FAILED} when it failed. {@code DELETE}: 202,
 * the job is cancelled (or its files deleted). A job that is unknown, cancelled, expired or another
 * client's is 404 {@code EXPORT_JOB_NOT_FOUND}: its existence is not revealed.
 */
final class ExportStatusServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private static final String JOB_ID = "_jobId";

  /** The parameters a status URL may have: the job id, and those that shape the answer. */
  private static final Set<String> STATUS_PARAMETERS = Set.of(JOB_ID, "_format", "_pretty");

  /** The {@code Retry-After} of a running job, in seconds. */
  static final String POLL_AFTER_SECONDS = "2";

  private final transient ExportJobs jobs;
  private final transient BulkExport answers;

  ExportStatusServlet(ExportJobs jobs, BulkExport answers) {
    this.jobs = jobs;
    this.answers = answers;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<ExportJob> found = jobs.find(jobId(request), KickoffOperations.owner(request));
    if (found.isEmpty()) {
      answers.jobNotFound(request, response);
      return;
    }
    ExportJob job = found.get();
    switch (job.state()) {
      case RUNNING -> {
        response.setStatus(202);
        response.setHeader("X-Progress", job.progress());
        response.setHeader("Retry-After", POLL_AFTER_SECONDS);
      }
      case FAILED -> answers.jobFailed(request, response, job.failureReason());
      case COMPLETE -> {
        response.setDateHeader("Expires", Date.from(job.expiresAt()).getTime());
        answers.sendManifest(response, job.manifest());
      }
    }
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (jobs.cancel(jobId(request), KickoffOperations.owner(request))) {
      response.setStatus(202);
    } else {
      answers.jobNotFound(request, response);
    }
  }

  /**
   * The job id of a status URL: {@code _jobId} given once, beside nothing but {@code _format} and
   * {@code _pretty}, which shape the answer (HAPI's generic client adds {@code _format} to every
   * URL it fetches); {@code null} for any other spelling. These are the spellings fhirguard's
   * export limits take for this status URL (they compare it decoded, its parameters in any order,
   * {@code _format} and {@code _pretty} aside), so none of them escapes the poll pace.
   */
  private static String jobId(HttpServletRequest request) {
    Map<String, String[]> parameters = request.getParameterMap();
    String[] ids = parameters.get(JOB_ID);
    return ids != null && ids.length == 1 && STATUS_PARAMETERS.containsAll(parameters.keySet())
        ? ids[0] : null;
  }
}
