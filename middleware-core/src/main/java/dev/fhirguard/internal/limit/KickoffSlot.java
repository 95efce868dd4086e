package dev.fhirguard.internal.limit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The slot one kick-off reserved, settled exactly once: freed as soon as the answer starts as
 * anything but a 202 (before the client can have it and kick off again), else turned into a job
 * or freed when the request is finished.
 */
final class KickoffSlot implements IntConsumer {

  private final ExportJobs jobs;
  private final String clientKey;
  private final AtomicBoolean settled = new AtomicBoolean();

  KickoffSlot(ExportJobs jobs, String clientKey) {
    this.jobs = jobs;
    this.clientKey = clientKey;
  }

  /** The answer starts with {@code status}: anything but a 202 starts no job. */
  @Override
  public void accept(int status) {
    if (status != 202) {
      release();
    }
  }

  /** Frees the slot, unless it was already freed or became a job. */
  void release() {
    if (settled.compareAndSet(false, true)) {
      jobs.release(clientKey);
    }
  }

  /** The kick-off ended 202 with the status URL {@code statusKey}: the slot becomes its job. */
  void started(String statusKey) {
    if (!settled.compareAndSet(false, true)) {
      // freed when the answer started otherwise, then turned into a 202 before it went out: the
      // job still counts, even above the client's limit
      jobs.reserve(clientKey, 0);
    }
    jobs.started(clientKey, statusKey);
  }
}
