package dev.fhirguard.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The time source of the retries: the wall clock (for a {@code Retry-After} HTTP-date), a
 * monotonic clock (for the time budget) and the wait itself. Tests pass their own, to see every
 * wait without sleeping; {@link #system()} is the real one.
 */
public interface RetryClock {

  /** Now, by the wall clock. */
  Instant now();

  /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Waits {@code duration}.
   *
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The system clock; {@link #sleep} is {@link Thread#sleep(long, int)}. */
  static RetryClock system() {
    return SystemRetryClock.INSTANCE;
  }
}
