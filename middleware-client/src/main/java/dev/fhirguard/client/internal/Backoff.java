package dev.fhirguard.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniformly random time in {@code [0, min(max, initial * 2^(n-1))]}, so
 * clients that failed together do not come back together.
 */
public final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  /** @param random uniform values in {@code [0, 1)} */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The upper bound of the wait before retry number {@code retry} (1 for the first retry). */
  public Duration ceiling(int retry) {
    long ceiling = initialNanos;
    for (int i = 1; i < retry && ceiling < maxNanos; i++) {
      ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
    }
    return Duration.ofNanos(Math.min(ceiling, maxNanos));
  }

  /** A random wait before retry number {@code retry}, within {@link #ceiling(int)}. */
  public Duration delay(int retry) {
    double fraction = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
    return Duration.ofNanos((long) (ceiling(retry).toNanos() * fraction));
  }
}
