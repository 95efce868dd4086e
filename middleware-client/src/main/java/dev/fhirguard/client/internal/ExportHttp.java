package dev.fhirguard.client.internal;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.client.RetryClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP side of the bulk export helper, on {@code java.net.http} (HAPI's generic client would
 * add {@code _format} to the status and file URLs): every request carries {@code X-Request-ID} and
 * the bearer token; {@link #send} retries as {@link RetryRules} allow; a failure is logged and
 * becomes the exception {@link Failures} makes.
 */
public final class ExportHttp {

  /** Makes the caller's exception from a failed answer and its note (or none) and a message. */
  public interface Failures {
    RuntimeException failure(Answer answer, FailureNotes.Note note, String message,
        Throwable cause);
  }

  private static final int MAX_ERROR_BODY = 1 << 20;

  private final HttpClient http;
  private final RetryRules rules;
  private final Supplier<String> accessToken;
  private final String mdcKey;
  private final String codeSystem;
  private final FhirContext context;
  private final Duration timeout;
  private final Failures failures;

  public ExportHttp(HttpClient http, RetryRules rules, Supplier<String> accessToken, String mdcKey,
      String codeSystem, FhirContext context, Duration timeout, Failures failures) {
    this.http = http;
    this.rules = rules;
    this.accessToken = accessToken;
    this.mdcKey = mdcKey;
    this.codeSystem = codeSystem;
    this.context = context;
    this.timeout = timeout;
    this.failures = failures;
  }

  public RetryRules rules() {
    return rules;
  }

  /** A new transaction id for a logical request (the current one inside a guarded request). */
  public String newRequestId() {
    return TransactionIds.outgoing(mdcKey);
  }

  /**
   * Sends a request until it succeeds (2xx, body unread) or the retries end (then throws).
   *
   * @param headers extra request headers
   * @param authorize whether to send the bearer token
   */
  public HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers,
      boolean authorize) {
    String requestId = newRequestId();
    long start = rules.clock().nanoTime();
    for (int attempts = 1; ; attempts++) {
      HttpResponse<InputStream> response = once(method, uri, headers, authorize, requestId);
      if (isSuccess(response.statusCode())) {
        return response;
      }
      Answer answer = read(response);
      sleep(retryDelay(method, uri, answer, answer.status(), requestId, attempts, start),
          method, uri);
    }
  }

  /**
   * The wait before sending again after the failed {@code answer}, logged; when the retries end
   * there, throws the caller's exception instead.
   *
   * @param judgedStatus the status to judge the answer by (a transient outcome may count as 503)
   * @param attempts the failed answers so far, this one included
   * @param start {@link RetryClock#nanoTime()} at the first of them
   */
  public Duration retryDelay(String method, URI uri, Answer answer, int judgedStatus,
      String requestId, int attempts, long start) {
    Verdict verdict = rules.judge(method, uri.toString(), judgedStatus,
        answer.header(RetryAfterHeader.NAME), attempts, start);
    Report report = report(method, uri, answer, requestId);
    report.log(verdict, attempts);
    if (!verdict.isRetry()) {
      throw failures.failure(answer, new FailureNotes.Note(requestId, attempts),
          report.describe() + " " + report.note(verdict, attempts), null);
    }
    return verdict.delay();
  }

  /** One request, no retries: the answer whatever its status (body unread). */
  public HttpResponse<InputStream> once(String method, URI uri, Map<String, String> headers,
      boolean authorize, String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header(Headers.REQUEST_ID, requestId);
    headers.forEach(request::header);
    String token = authorize ? accessToken.get() : null;
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw failures.failure(null, null, LogText.request(method, uri.toString()) + " failed"
          + " (transaction id " + requestId + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(method, uri, e);
    }
  }

  /** Reads a failed answer (its body bounded) and closes it. */
  public Answer read(HttpResponse<InputStream> response) {
    return Answer.read(response, context, MAX_ERROR_BODY);
  }

  /** Waits {@code delay}; an interrupt ends the work with the caller's exception. */
  public void sleep(Duration delay, String method, URI uri) {
    try {
      rules.clock().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(method, uri, e);
    }
  }

  private RuntimeException interrupted(String method, URI uri, InterruptedException e) {
    return failures.failure(null, null,
        LogText.request(method, uri.toString()) + ": interrupted", e);
  }

  private Report report(String method, URI uri, Answer answer, String requestId) {
    return new Report(LogText.request(method, uri.toString()), answer, requestId, codeSystem);
  }

  public static boolean isSuccess(int status) {
    return status >= 200 && status <= 299;
  }
}
