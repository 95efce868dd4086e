package dev.fhirguard.redis.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator that Redis fails, once a minute at most (a WARN with the counts since the
 * last one), and once when it answers again (INFO). Logger {@code dev.fhirguard.cluster}.
 */
final class FailureReport {

  static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.cluster");

  private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String endpoint;
  private final int replicas;
  private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - QUIET_NANOS);
  private final AtomicLong failedAtLastWarning = new AtomicLong();
  private final AtomicLong fallbackAtLastWarning = new AtomicLong();
  private volatile boolean failing;

  FailureReport(String endpoint, int replicas) {
    this.endpoint = endpoint;
    this.replicas = replicas;
  }

  void failed(RuntimeException failure, long failedCalls, long fallbackCalls) {
    failing = true;
    long now = System.nanoTime();
    long last = lastWarned.get();
    if (now - last < QUIET_NANOS || !lastWarned.compareAndSet(last, now)) {
      return;
    }
    LOG.warn("Redis at {} failed ({}): deciding with this replica's fallbacks until it answers"
        + " again (rate-limit buckets at capacity / {}, its own export slots, maintenance as last"
        + " known); {} failed calls and {} fallback answers since the last report", endpoint,
        describe(failure), replicas, failedCalls - failedAtLastWarning.getAndSet(failedCalls),
        fallbackCalls - fallbackAtLastWarning.getAndSet(fallbackCalls));
  }

  /** A warning was logged elsewhere: the next one comes a minute later at most. */
  void warnedNow() {
    failing = true;
    lastWarned.set(System.nanoTime());
  }

  void shared() {
    if (failing) {
      failing = false;
      LOG.info("Redis at {} answers again: rate limits, export slots and maintenance are shared"
          + " again", endpoint);
    }
  }

  /** A failure on one line: its class and message, printable and short, no stack. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (root != failure) {
      text += " <- " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 300 ? printable.substring(0, 300) + "..." : printable;
  }
}
