package dev.fhirguard.client.internal;

import java.time.Duration;

/**
 * What to do with a failed answer: {@link Kind#RETRY} after {@link #delay()}, {@link Kind#GIVE_UP}
 * (a retryable answer, but a limit was reached), or {@link Kind#FINAL} (not retryable at all).
 * {@link #reason()} says why, in words for a log line; {@code null} for a plain final failure.
 */
public record Verdict(Kind kind, Duration delay, String reason) {

  /** The three outcomes. */
  public enum Kind { RETRY, GIVE_UP, FINAL }

  static Verdict retry(Duration delay) {
    return new Verdict(Kind.RETRY, delay, null);
  }

  static Verdict giveUp(String reason) {
    return new Verdict(Kind.GIVE_UP, Duration.ZERO, reason);
  }

  static Verdict finalAnswer(String reason) {
    return new Verdict(Kind.FINAL, Duration.ZERO, reason);
  }

  public boolean isRetry() {
    return kind == Kind.RETRY;
  }
}
