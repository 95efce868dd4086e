package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.export.ExportJobs;
import dev.fhirguard.internal.export.ExportRequest;
import dev.fhirguard.internal.tracking.ClientKeys;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The per-client rate limit: a request takes its cost from its client's bucket (an export
 * kick-off more, a poll of the client's own job less) or is refused with 429 RATE_LIMITED. Every
 * response carries the client's rate-limit headers.
 */
final class ClientLimitStage implements Stage {

  private final RateLimiter verified;
  private final RateLimiter anonymous;
  private final ClientKeys keys;
  private final ExportJobs jobs;
  private final long kickoffCost;
  private final long pollCost;
  private final ErrorResponder responder;

  /**
   * @param verified the limiter of verified clients
   * @param anonymous the limiter of requests without a token (by address)
   * @param jobs the tracked export jobs, or {@code null} when they are not tracked
   */
  ClientLimitStage(RateLimiter verified, RateLimiter anonymous, ClientKeys keys, ExportJobs jobs,
      long kickoffCost, long pollCost, ErrorResponder responder) {
    this.verified = verified;
    this.anonymous = anonymous;
    this.keys = keys;
    this.jobs = jobs;
    this.kickoffCost = kickoffCost;
    this.pollCost = pollCost;
    this.responder = responder;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      ExportRequest export = ExportRequest.of(request, keys, jobs);
      VerifiedClient client = VerifiedClient.of(request);
      String key = export.clientKey() != null ? export.clientKey() : keys.client(request);
      Failure refused = client == null
          ? anonymous.take(key, null, cost(export), response)
          : verified.take(key, client.clientId(), cost(export), response);
      if (refused != null) {
        responder.refuse(request, response, refused);
        return;
      }
    }
    next.proceed(request, response);
  }

  private long cost(ExportRequest export) {
    return switch (export.kind()) {
      case KICKOFF -> kickoffCost;
      case POLL, CANCEL -> pollCost;
      case OTHER -> 1;
    };
  }
}
