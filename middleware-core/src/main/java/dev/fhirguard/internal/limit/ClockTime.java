package dev.fhirguard.internal.limit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** Time for buckets and caches: the JVM's nanosecond clock, or a given clock for tests. */
public final class ClockTime implements TimeMeter, Ticker {

  private final Clock clock;

  private ClockTime(Clock clock) {
    this.clock = clock;
  }

  /** The system's monotonic clock when {@code clock} is the system clock, else {@code clock}. */
  public static ClockTime of(Clock clock) {
    return new ClockTime(isSystem(clock) ? null : clock);
  }

  private static boolean isSystem(Clock clock) {
    return clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone());
  }

  @Override
  public long currentTimeNanos() {
    if (clock == null) {
      return System.nanoTime();
    }
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public long read() {
    return currentTimeNanos();
  }

  @Override
  public boolean isWallClockBased() {
    return false;
  }
}
