package dev.fhirguard.demo.export;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import dev.fhirguard.bulk.BulkExport;
import dev.fhirguard.bulk.BulkExport.ParameterCheck;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.VerifiedClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;

/**
 * The Bulk Data 2.0 kick-offs, as HAPI operations so that fhirguard checks the client's scopes
 * first: {@code GET} or {@code POST} (with a {@code Parameters} body) of {@code /$export}, {@code
 * /Patient/$export} and {@code /Group/{id}/$export}. A valid kick-off starts a job and answers 202
 * with its status URL in {@code Content-Location}. A parameter the sample does not support
 * ({@code _typeFilter}, {@code patient}, {@code includeAssociatedData}, ...) is refused, 400 naming
 * it, unless the client sent {@code Prefer: handling=lenient}: then the job ignores it and its
 * error file says so.
 */
public final class KickoffOperations {

  private static final String EXPORT = "$export";
  private static final int ANY = OperationParam.MAX_UNLIMITED;

  private final ExportJobs jobs;
  private final ExportSources sources;
  private final BulkExport answers;

  KickoffOperations(ExportJobs jobs, ExportSources sources, BulkExport answers) {
    this.jobs = jobs;
    this.sources = sources;
    this.answers = answers.supporting(KickoffParameters.SUPPORTED);
  }

  /** {@code /$export}: every type. */
  @Operation(name = EXPORT, idempotent = true, manualResponse = true)
  public void exportSystem(ServletRequestDetails details,
      @OperationParam(name = KickoffParameters.OUTPUT_FORMAT, max = ANY) List<String> outputFormat,
      @OperationParam(name = KickoffParameters.SINCE, max = ANY) List<String> since,
      @OperationParam(name = KickoffParameters.TYPE, max = ANY) List<String> type,
      @OperationParam(name = ExportElements.ELEMENTS, max = ANY) List<String> elements)
      throws IOException {
    kickoff(details, ExportLevel.SYSTEM, null, outputFormat, since, type, elements);
  }

  /** {@code /Patient/$export}: the Patients and the Observations about them. */
  @Operation(name = EXPORT, typeName = "Patient", idempotent = true, manualResponse = true)
  public void exportPatients(ServletRequestDetails details,
      @OperationParam(name = KickoffParameters.OUTPUT_FORMAT, max = ANY) List<String> outputFormat,
      @OperationParam(name = KickoffParameters.SINCE, max = ANY) List<String> since,
      @OperationParam(name = KickoffParameters.TYPE, max = ANY) List<String> type,
      @OperationParam(name = ExportElements.ELEMENTS, max = ANY) List<String> elements)
      throws IOException {
    kickoff(details, ExportLevel.PATIENT, null, outputFormat, since, type, elements);
  }

  /**
   * {@code /Group/{id}/$export}: the Group's members and the Observations about them; 404 for an
   * unknown Group.
   */
  @Operation(name = EXPORT, typeName = "Group", idempotent = true, manualResponse = true)
  public void exportGroup(@IdParam IdType id, ServletRequestDetails details,
      @OperationParam(name = KickoffParameters.OUTPUT_FORMAT, max = ANY) List<String> outputFormat,
      @OperationParam(name = KickoffParameters.SINCE, max = ANY) List<String> since,
      @OperationParam(name = KickoffParameters.TYPE, max = ANY) List<String> type,
      @OperationParam(name = ExportElements.ELEMENTS, max = ANY) List<String> elements)
      throws IOException {
    kickoff(details, ExportLevel.GROUP, sources.members(id), outputFormat, since, type,
        elements);
  }

  private void kickoff(ServletRequestDetails details, ExportLevel level, Set<String> members,
      List<String> outputFormat, List<String> since, List<String> type, List<String> elements)
      throws IOException {
    HttpServletRequest request = details.getServletRequest();
    HttpServletResponse response = details.getServletResponse();
    ParameterCheck check = answers.checkParameters(request, response, sentNames(details));
    if (check.refused()) {
      return;
    }
    KickoffParameters parameters;
    try {
      parameters = KickoffParameters.parse(level, request.getHeader(KickoffParameters.PREFER),
          outputFormat, since, type, elements);
    } catch (InvalidParameter e) {
      answers.invalidParameter(request, response, e.parameter(), e.value(), e.problem());
      return;
    }
    ExportJob job = jobs.start(owner(request), FhirGuard.requestId(request),
        new ExportScope(level, parameters.types(), parameters.since(), members,
            parameters.elements()),
        details.getCompleteUrl(), details.getFhirServerBase(), check.errorLines());
    if (job == null) {
      response.setHeader("Retry-After", "60");
      response.sendError(503, "The sample keeps " + ExportJobs.MAX_JOBS + " export jobs at most");
      return;
    }
    response.setStatus(202);
    response.setHeader("Content-Location", job.statusUrl());
  }

  /** The names of the kick-off's parameters: its query's and, for a POST, its body's. */
  private static List<String> sentNames(ServletRequestDetails details) {
    List<String> names = new ArrayList<>(details.getParameters().keySet());
    if (details.getResource() instanceof Parameters body) {
      body.getParameter().forEach(parameter -> names.add(parameter.getName()));
    }
    return names;
  }

  /** The client the job belongs to; {@code null} when the sample runs without authentication. */
  static String owner(HttpServletRequest request) {
    VerifiedClient client = VerifiedClient.of(request);
    return client == null ? null : client.clientId();
  }
}
