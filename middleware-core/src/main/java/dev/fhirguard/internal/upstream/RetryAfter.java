package dev.fhirguard.internal.upstream;

import java.time.Duration;

/** {@code Retry-After} values: whole seconds, rounded up, at least 1. */
final class RetryAfter {

  private RetryAfter() {}

  static long seconds(Duration wait) {
    long millis = Math.max(0, wait.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }
}
