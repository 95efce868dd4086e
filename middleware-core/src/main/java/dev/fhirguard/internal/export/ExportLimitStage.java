package dev.fhirguard.internal.export;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.cluster.ExportLeases.Reservation;
import dev.fhirguard.internal.boundary.AfterResponse;
import dev.fhirguard.internal.boundary.GuardedResponse;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.ExceptionClassifier;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.text.RetryAfter;
import dev.fhirguard.internal.tracking.ClientKeys;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * The bulk export limits: a client may run a bounded number of export jobs (429
 * EXPORT_LIMIT_REACHED for one kick-off too many) and may poll a job's status no faster than the
 * configured interval or the server's own {@code Retry-After}, whichever is longer (429
 * EXPORT_POLLED_TOO_SOON; the first poll after the kick-off is free). Jobs are followed through
 * the answers of the server: a kick-off answered 202 with a {@code Content-Location} starts one;
 * its status URL answering 200, 404, 410 or 500 (also when the error boundary answers an
 * exception with it), or a successful DELETE of it, ends it. A job starts, and a slot is freed,
 * as soon as such an answer starts, before the client can have it and send its next request.
 */
public final class ExportLimitStage implements Stage {

  private final ExportJobs jobs;
  private final ClientKeys keys;
  private final Duration limitRetryAfter;
  private final ErrorHandler errors;

  public ExportLimitStage(ExportJobs jobs, ClientKeys keys, Duration limitRetryAfter,
      ErrorHandler errors) {
    this.jobs = jobs;
    this.keys = keys;
    this.limitRetryAfter = limitRetryAfter;
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      next.proceed(request, response);
      return;
    }
    ExportRequest export = ExportRequest.of(request, keys, jobs);
    switch (export.kind()) {
      case KICKOFF -> kickoff(export, request, response, next);
      case POLL -> poll(export, request, response, next);
      case CANCEL -> {
        IntConsumer onStatus = status -> {
          if (status / 100 == 2 || isGone(status)) {
            jobs.ended(export.clientKey(), export.statusKey());
          }
        };
        tellAnswerStart(response, onStatus);
        next.proceed(request, response);
        AfterResponse.withStatus(request, response, onStatus);
      }
      case OTHER -> next.proceed(request, response);
    }
  }

  private void kickoff(ExportRequest export, HttpServletRequest request,
      HttpServletResponse response, Next next) throws IOException, ServletException {
    VerifiedClient client = VerifiedClient.of(request);
    int max = jobs.maxFor(client == null ? null : client.clientId());
    Reservation reservation = jobs.reserve(export.clientKey(), max);
    if (reservation == null) {
      errors.refuse(request, response, tooManyExports(max), "export");
      return;
    }
    KickoffSlot slot = new KickoffSlot(jobs, reservation);
    IntConsumer onStatus = status -> {
      String statusKey = status == 202
          ? StatusUrls.ofLocation(request, response.getHeader("Content-Location")) : null;
      slot.answered(statusKey);
      if (statusKey != null) {
        tellPollInterval(response);
      }
    };
    tellAnswerStart(response, onStatus);
    try {
      next.proceed(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      slot.release();
      throw e;
    }
    AfterResponse.withStatus(request, response, onStatus);
  }

  private void poll(ExportRequest export, HttpServletRequest request,
      HttpServletResponse response, Next next) throws IOException, ServletException {
    Duration wait = jobs.poll(export.clientKey(), export.statusKey());
    if (!wait.isZero()) {
      errors.refuse(request, response, Failure.retryLater(ErrorCode.EXPORT_POLLED_TOO_SOON,
          "The export status was polled too frequently.", wait), "export");
      return;
    }
    IntConsumer onStatus = status -> {
      if (status == 200 || isGone(status) || isJobFailure(status)) {
        jobs.ended(export.clientKey(), export.statusKey());
      } else if (status == 202) { // in progress
        jobs.serverAsked(export.clientKey(), export.statusKey(),
            response.getHeader(RetryAfter.HEADER));
        tellPollInterval(response);
      }
    };
    tellAnswerStart(response, onStatus);
    try {
      next.proceed(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      if (!ExceptionClassifier.isClientAbort(e)) { // what the error boundary is about to answer
        onStatus.accept(errors.classify(request, e).status());
      }
      throw e;
    }
    AfterResponse.withStatus(request, response, onStatus);
  }

  /**
   * Has {@code onStatus} told the status as soon as the answer starts, before the client can have
   * it and send its next export request; the status the request ends with is told again.
   */
  private static void tellAnswerStart(HttpServletResponse response, IntConsumer onStatus) {
    GuardedResponse guarded = GuardedResponse.in(response);
    if (guarded != null) {
      guarded.onAnswerStart(onStatus);
    }
  }

  /**
   * Has a 202 (a kick-off's, or a poll's of a running job) tell the client when it may poll:
   * {@code Retry-After} of at least the minimum interval, the server's own when it asks for more.
   */
  private void tellPollInterval(HttpServletResponse response) {
    String retryAfter = jobs.retryAfterToSend(response.getHeader(RetryAfter.HEADER));
    if (retryAfter != null && !response.isCommitted()) {
      response.setHeader(RetryAfter.HEADER, retryAfter);
    }
  }

  private Failure tooManyExports(int max) {
    return Failure.retryLater(ErrorCode.EXPORT_LIMIT_REACHED,
        "Too many concurrent bulk export requests: this client already has " + max
            + (max == 1 ? " export" : " exports") + " running, the most it may have. Wait for one"
            + " to finish or cancel it.", limitRetryAfter);
  }

  private static boolean isGone(int status) {
    return status == 404 || status == 410;
  }

  /** A 5xx that ends the job; 502, 503 and 504 are transient polling failures. */
  private static boolean isJobFailure(int status) {
    return status >= 500 && status != 502 && status != 503 && status != 504;
  }
}
