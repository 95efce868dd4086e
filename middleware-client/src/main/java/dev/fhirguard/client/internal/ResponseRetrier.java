package dev.fhirguard.client.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import dev.fhirguard.client.RetryClock;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a failed answer: sends the same request again as {@link RetryRules} allow (HAPI's
 * requests are re-executable, their bodies held in memory), and logs every failed answer with its
 * transaction id. What it returns is the response HAPI's client should read: the first successful
 * one, or a {@link FailedResponse} that throws the readable exception.
 */
public final class ResponseRetrier {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.client");

  private final RetryRules rules;
  private final String codeSystem;

  public ResponseRetrier(RetryRules rules, String codeSystem) {
    this.rules = rules;
    this.codeSystem = codeSystem;
  }

  /** The response to hand to HAPI for {@code request}, whose first answer was {@code first}. */
  public IHttpResponse follow(IHttpRequest request, IHttpResponse first, FhirContext context) {
    if (isSuccess(first.getStatus())) {
      return first;
    }
    RetryClock clock = rules.clock();
    long start = clock.nanoTime();
    String method = request.getHttpVerbName();
    String uri = request.getUri();
    String sentId = Headers.first(request.getAllHeaders(), Headers.REQUEST_ID);
    Answer answer = Answer.read(first, context);
    for (int attempts = 1; ; attempts++) {
      Verdict verdict = rules.judge(method, uri, answer.status(),
          answer.header(RetryAfterHeader.NAME), attempts, start);
      Report report = new Report(LogText.request(method, uri), answer, sentId, codeSystem);
      report.log(verdict, attempts);
      if (verdict.isRetry() && !slept(verdict.delay(), clock)) {
        verdict = Verdict.giveUp("gave up: interrupted while waiting to retry");
        report.log(verdict, attempts);
      }
      if (!verdict.isRetry()) {
        RuntimeException failure = HapiFailures.exception(answer, report.note(verdict, attempts));
        FailureNotes.put(failure, new FailureNotes.Note(sentId, attempts));
        return new FailedResponse(answer.status(), failure);
      }
      IHttpResponse next;
      try {
        next = request.execute();
      } catch (IOException e) {
        return new FailedResponse(answer.status(), new FhirClientConnectionException(
            report.request() + " failed at attempt " + (attempts + 1) + " (transaction id "
                + report.transactionId() + "): " + e, e));
      }
      if (isSuccess(next.getStatus())) {
        LOG.info("{} succeeded at attempt {} (transaction id {})", report.request(),
            attempts + 1, report.transactionId());
        return next;
      }
      answer = Answer.read(next, context);
    }
  }

  /** Whether {@code delay} was waited out; an interrupted wait keeps the interrupt. */
  private static boolean slept(Duration delay, RetryClock clock) {
    try {
      clock.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status <= 299;
  }
}
