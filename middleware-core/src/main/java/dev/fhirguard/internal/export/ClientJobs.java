package dev.fhirguard.internal.export;

import dev.fhirguard.internal.outcome.FailureLog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.IntConsumer;

/** One client's running export jobs and pending kick-offs; every method is atomic. */
final class ClientJobs {

  private final IntConsumer abandoned;

  /** @param abandoned told how many slots were freed because their jobs went unpolled */
  ClientJobs(IntConsumer abandoned) {
    this.abandoned = abandoned;
  }

  /** A running job: when it last showed life (a kick-off or a poll), when it may next be polled. */
  private static final class Job {
    private Instant lastSeen;
    private Instant nextPoll;

    Job(Instant now) {
      lastSeen = now;
      nextPoll = now; // the first poll may follow the kick-off at once
    }
  }

  private final Map<String, Job> jobsByStatusKey = new HashMap<>();
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
    jobsByStatusKey.put(statusKey, new Job(now));
  }

  /** @return whether a reservation was held (and is freed now) */
  synchronized boolean release() {
    if (reserved == 0) {
      return false;
    }
    reserved--;
    return true;
  }

  boolean has(String statusKey, Instant now, Duration ttl) {
    boolean has;
    int abandoned;
    synchronized (this) {
      abandoned = dropAbandoned(now, ttl);
      has = jobsByStatusKey.containsKey(statusKey);
    }
    logAbandoned(abandoned);
    return has;
  }

  /** Admits a poll not sooner than the job's next poll, which is then {@code minInterval} away. */
  synchronized Duration poll(String statusKey, Instant now, Duration minInterval) {
    Job job = jobsByStatusKey.get(statusKey);
    if (job == null) {
      return Duration.ZERO;
    }
    if (now.isBefore(job.nextPoll)) {
      return Duration.between(now, job.nextPoll);
    }
    job.lastSeen = now;
    job.nextPoll = now.plus(minInterval);
    return Duration.ZERO;
  }

  /** Puts the job's next poll off until {@code notBefore}, unless it is later already. */
  synchronized void nextPollNotBefore(String statusKey, Instant notBefore) {
    Job job = jobsByStatusKey.get(statusKey);
    if (job != null && job.nextPoll.isBefore(notBefore)) {
      job.nextPoll = notBefore;
    }
  }

  /** @return whether the job was running (and its slot is freed now) */
  synchronized boolean ended(String statusKey) {
    return jobsByStatusKey.remove(statusKey) != null;
  }

  synchronized int taken() {
    return reserved + jobsByStatusKey.size();
  }

  /** Drops the jobs not polled within the TTL; returns how many. Called holding the lock. */
  private int dropAbandoned(Instant now, Duration ttl) {
    int dropped = 0;
    for (Iterator<Job> jobs = jobsByStatusKey.values().iterator(); jobs.hasNext(); ) {
      if (ExportJobs.isAbandoned(jobs.next().lastSeen, now, ttl)) {
        jobs.remove();
        dropped++;
      }
    }
    return dropped;
  }

  /** Logs outside the lock: no lock is held across I/O. */
  private void logAbandoned(int count) {
    if (count > 0) {
      abandoned.accept(count);
      FailureLog.logger().info("{} bulk export job(s) abandoned (status not polled within the"
          + " TTL): their slots are freed", count);
    }
  }
}
