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

  synchronized boolean reserve(int max, Instant now, Duration ttl) {
    dropAbandoned(now, ttl);
    if (max > 0 && taken() >= max) {
      return false;
    }
    reserved++;
    return true;
  }

  synchronized void started(String statusKey, Instant now) {
    reserved = Math.max(0, reserved - 1);
    lastPollByStatusKey.put(statusKey, now);
  }

  synchronized void release() {
    reserved = Math.max(0, reserved - 1);
  }

  synchronized boolean has(String statusKey, Instant now, Duration ttl) {
    dropAbandoned(now, ttl);
    return lastPollByStatusKey.containsKey(statusKey);
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

  private void dropAbandoned(Instant now, Duration ttl) {
    for (Iterator<Instant> polls = lastPollByStatusKey.values().iterator(); polls.hasNext(); ) {
      if (ExportJobs.isAbandoned(polls.next(), now, ttl)) {
        polls.remove();
        FailureLog.logger().info("A bulk export job was abandoned (status not polled within the"
            + " TTL): its slot is freed");
      }
    }
  }
}
