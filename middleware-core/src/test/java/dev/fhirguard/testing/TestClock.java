package dev.fhirguard.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one test clock: it stands still until a test moves it (token expiry, circuit waits, bucket
 * refills without sleeping).
 */
public final class TestClock extends Clock {

  private final AtomicReference<Instant> now;

  /** A clock at 2025-01-01T00:00:00Z. */
  public TestClock() {
    this(Instant.parse("2025-01-01T00:00:00Z"));
  }

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock starting at the current second. */
  public static TestClock atNow() {
    return new TestClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  /** Moves the clock forward by {@code amount}. */
  public void advance(Duration amount) {
    now.updateAndGet(instant -> instant.plus(amount));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
