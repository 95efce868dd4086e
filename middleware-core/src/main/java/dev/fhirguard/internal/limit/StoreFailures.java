package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.text.LogSafe;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a failing rate-limit store (a shared store that cannot be reached) at most once a minute,
 * with the number of requests admitted unchecked meanwhile, instead of once per request.
 */
final class StoreFailures {

  private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - QUIET_NANOS);
  private final AtomicLong unlogged = new AtomicLong();

  void failed(RuntimeException error) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last < QUIET_NANOS || !lastLogged.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    FailureLog.logger().error("The rate-limit store failed; requests are admitted without a rate"
        + " limit until it works again ({} more failures since the last report)",
        unlogged.getAndSet(0), LogSafe.throwable(error));
  }
}
