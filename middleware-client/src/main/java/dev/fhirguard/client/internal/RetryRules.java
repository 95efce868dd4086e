package dev.fhirguard.client.internal;

import dev.fhirguard.client.RetryClock;
import java.time.Duration;
import java.util.Optional;

/**
 * When a failed answer is tried again, and after how long. 429 and 503 are retried, 502 and 504
 * only for an idempotent request (the server may have done the work); a request that is not
 * idempotent only when the user opted in. The wait is the server's {@code Retry-After} when it
 * sent one no longer than {@code maxRetryAfter} (a longer one ends the retries: the server said it
 * will not be back soon), else exponential backoff with full jitter. The retries stop at {@code
 * maxAttempts} answers, when the next wait would overrun the budget, or when the thread is
 * interrupted.
 */
public final class RetryRules {

  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final Duration budget;
  private final Backoff backoff;
  private final boolean retryNonIdempotent;
  private final RetryClock clock;

  public RetryRules(int maxAttempts, Duration maxRetryAfter, Duration budget, Backoff backoff,
      boolean retryNonIdempotent, RetryClock clock) {
    this.maxAttempts = maxAttempts;
    this.maxRetryAfter = maxRetryAfter;
    this.budget = budget;
    this.backoff = backoff;
    this.retryNonIdempotent = retryNonIdempotent;
    this.clock = clock;
  }

  public RetryClock clock() {
    return clock;
  }

  /** The backoff's upper bound before retry {@code retry}: a steady pace without jitter. */
  public Duration backoffCeiling(int retry) {
    return backoff.ceiling(retry);
  }

  /**
   * The verdict on a failed answer.
   *
   * @param status the answer's HTTP status
   * @param retryAfter the answer's {@code Retry-After}, or {@code null}
   * @param attempts the answers so far, this one included
   * @param startNanos {@link RetryClock#nanoTime()} when the first answer arrived
   */
  public Verdict judge(String method, String uri, int status, String retryAfter, int attempts,
      long startNanos) {
    boolean idempotent = Idempotency.isIdempotent(method, uri);
    boolean retryable = status == 429 || status == 503
        ? idempotent || retryNonIdempotent
        : (status == 502 || status == 504) && idempotent;
    if (!retryable) {
      return Verdict.finalAnswer(isTransient(status) ? notIdempotent(method) : null);
    }
    if (attempts >= maxAttempts) {
      return Verdict.giveUp("gave up: no attempts left");
    }
    if (Thread.currentThread().isInterrupted()) {
      return Verdict.giveUp("gave up: the calling thread was interrupted");
    }
    Optional<Duration> asked = RetryAfterHeader.parse(retryAfter, clock.now());
    if (asked.isPresent() && asked.get().compareTo(maxRetryAfter) > 0) {
      return Verdict.giveUp("gave up: the server asks to wait " + Durations.words(asked.get())
          + ", longer than the " + Durations.words(maxRetryAfter) + " allowed");
    }
    Duration wait = asked.orElseGet(() -> backoff.delay(attempts));
    Duration spent = Duration.ofNanos(clock.nanoTime() - startNanos);
    if (spent.plus(wait).compareTo(budget) > 0) {
      return Verdict.giveUp("gave up: waiting " + Durations.words(wait) + " more would overrun"
          + " the budget of " + Durations.words(budget));
    }
    return Verdict.retry(wait);
  }

  private static boolean isTransient(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private static String notIdempotent(String method) {
    return "not retried: a " + method + " request is not idempotent";
  }
}
