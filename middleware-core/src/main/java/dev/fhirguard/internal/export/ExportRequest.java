package dev.fhirguard.internal.export;

import dev.fhirguard.internal.chain.RequestPath;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.tracking.ClientKeys;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.ToLongFunction;

/**
 * What a request is to the export limits: a kick-off ({@code GET} or {@code POST} of a path
 * ending in {@code /$export}, trailing slashes aside), a poll or cancel of one of the client's
 * running jobs, or neither. Worked out once per request.
 */
public record ExportRequest(Kind kind, String clientKey, String statusKey) {

  public enum Kind { KICKOFF, POLL, CANCEL, OTHER }

  private static final String ATTRIBUTE = ExportRequest.class.getName();
  private static final String OPERATION = "$export";

  /** Neither a kick-off nor a poll or cancel of a running job. */
  private static final ExportRequest OTHER = new ExportRequest(Kind.OTHER, null, null);

  /**
   * What {@code request} is; the client key is worked out only for a kick-off or a possible poll
   * ({@code null} otherwise).
   *
   * @param jobs the running jobs, or {@code null} when jobs are not tracked
   */
  public static ExportRequest of(HttpServletRequest request, ClientKeys keys, ExportJobs jobs) {
    if (request.getAttribute(ATTRIBUTE) instanceof ExportRequest known) {
      return known;
    }
    ExportRequest found = classify(request, keys, jobs);
    if (found != OTHER) {
      request.setAttribute(ATTRIBUTE, found);
    }
    return found;
  }

  private static ExportRequest classify(
      HttpServletRequest request, ClientKeys keys, ExportJobs jobs) {
    String method = request.getMethod();
    boolean get = "GET".equals(method);
    if ((get || "POST".equals(method)) && isKickoffPath(RequestPath.of(request))) {
      return new ExportRequest(Kind.KICKOFF, keys.client(request), null);
    }
    if (jobs != null && (get || "DELETE".equals(method)) && jobs.anyTracked()) {
      String clientKey = keys.client(request);
      String statusKey = StatusUrls.of(request);
      if (jobs.isRunning(clientKey, statusKey)) {
        return new ExportRequest(get ? Kind.POLL : Kind.CANCEL, clientKey, statusKey);
      }
    }
    return OTHER;
  }

  /**
   * The tokens a request takes from its client's rate-limit bucket: a kick-off and a poll or
   * cancel of the client's running job cost what {@code settings} say, any other request 1.
   *
   * @param jobs the running jobs, or {@code null} when jobs are not tracked
   */
  public static ToLongFunction<HttpServletRequest> cost(
      ClientKeys keys, ExportJobs jobs, GuardSettings.Export settings) {
    long kickoff = settings.kickoffCost();
    long poll = settings.pollCost();
    return request -> switch (of(request, keys, jobs).kind()) {
      case KICKOFF -> kickoff;
      case POLL, CANCEL -> poll;
      case OTHER -> 1;
    };
  }

  /** Trailing slashes aside: HAPI routes {@code /fhir/$export/} to {@code $export} as well. */
  private static boolean isKickoffPath(String path) {
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    int start = end - OPERATION.length();
    return start > 0 && path.startsWith(OPERATION, start) && path.charAt(start - 1) == '/';
  }
}
