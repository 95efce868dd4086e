package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.FailureLog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** One client's running export jobs and pending kick-offs; every method is atomic. */
final class ClientJobs {

  private final Map<String, Instant> lastPollByStatusKey = new HashMap<>();
  private int reserved;

  boolean reserve(int max, Instant now, Duration ttl) {
    boolean reserved;
    int abandoned;
    synchronized (this) {
      abandoned = dropAbandoned(now, ttl);
      reserved = max == 0 || taken() < max;
      if (reserved) {
        this.reserved++;
      }
    }
    logAbandoned(abandoned);
    return reserved;
  }

  synchronized void started(String statusKey, Instant now) {
    reserved = Math.max(0, reserved - 1);
    lastPollByStatusKey.put(statusKey, now);
  }

  synchronized void release() {
    reserved = Math.max(0, reserved - 1);
  }

  boolean has(String statusKey, Instant now, Duration ttl) {
    boolean has;
    int abandoned;
    synchronized (this) {
      abandoned = dropAbandoned(now, ttl);
      has = lastPollByStatusKey.containsKey(statusKey);
    }
    logAbandoned(abandoned);
    return has;
  }

  synchronized Duration poll(String statusKey, Instant now, Duration minInterval) {
    Instant last = lastPollByStatusKey.get(statusKey);
    if (last == null) {
      return Duration.ZERO;
    }
    Instant allowed = last.plus(minInterval);
    if (now.isBefore(allowed)) {
      return Duration.between(now, allowed);
    }
    lastPollByStatusKey.put(statusKey, now);
    return Duration.ZERO;
  }

  synchronized void ended(String statusKey) {
    lastPollByStatusKey.remove(statusKey);
  }

  synchronized int taken() {
    return reserved + lastPollByStatusKey.size();
  }

  /** Drops the jobs not polled within the TTL; returns how many. Called holding the lock. */
  private int dropAbandoned(Instant now, Duration ttl) {
    int dropped = 0;
    for (Iterator<Instant> polls = lastPollByStatusKey.values().iterator(); polls.hasNext(); ) {
      if (ExportJobs.isAbandoned(polls.next(), now, ttl)) {
        polls.remove();
        dropped++;
      }
    }
    return dropped;
  }

  /** Logs outside the lock: no lock is held across I/O. */
  private static void logAbandoned(int count) {
    if (count > 0) {
      FailureLog.logger().info("{} bulk export job(s) abandoned (status not polled within the"
          + " TTL): their slots are freed", count);
    }
  }
}
