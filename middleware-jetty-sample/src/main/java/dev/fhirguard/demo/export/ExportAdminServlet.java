package dev.fhirguard.demo.export;

import dev.fhirguard.demo.admin.LoopbackAdminServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Demo only: {@code POST /admin/export?mode=hold} holds export jobs before their next resource
 * type, so their status URL answers 202 "in progress"; {@code mode=run} lets them go on and
 * answers once every job has ended (at most {@link #RUN_TIMEOUT}). {@code GET} shows the mode.
 * Loopback only.
 */
final class ExportAdminServlet extends LoopbackAdminServlet {

  private static final long serialVersionUID = 1L;

  static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

  private final transient ExportJobs jobs;

  ExportAdminServlet(ExportJobs jobs) {
    super("export switch");
    this.jobs = jobs;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    text(response, "export jobs: " + (jobs.isHeld() ? "hold" : "run") + ", "
        + jobs.running() + " running");
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String mode = request.getParameter("mode");
    if ("hold".equals(mode)) {
      jobs.hold();
      text(response, "export jobs: hold");
    } else if ("run".equals(mode)) {
      run(response);
    } else {
      response.sendError(400, "Parameter mode must be one of hold, run.");
    }
  }

  private void run(HttpServletResponse response) throws IOException {
    try {
      if (jobs.run(RUN_TIMEOUT)) {
        text(response, "export jobs: run, none running");
      } else {
        response.sendError(503, "Export jobs still running after " + RUN_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.sendError(503, "Interrupted while waiting for the export jobs");
    }
  }
}
