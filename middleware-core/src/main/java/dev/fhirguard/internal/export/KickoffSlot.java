package dev.fhirguard.internal.export;

import dev.fhirguard.cluster.ExportLeases.Reservation;

/**
 * The slot one kick-off reserved, settled as soon as the answer starts (before the client can have
 * it and send its next request: a cancel, a poll, another kick-off), else when the request is
 * finished: a 202 with a status URL turns it into a job, any other answer frees it. Settled once,
 * but for an answer that started as an error and ended as a 202 after all: its job still counts.
 */
final class KickoffSlot {

  private enum State { RESERVED, FREED, JOB }

  private final ExportJobs jobs;
  private final Reservation reservation;
  private State state = State.RESERVED;

  KickoffSlot(ExportJobs jobs, Reservation reservation) {
    this.jobs = jobs;
    this.reservation = reservation;
  }

  /**
   * The answer is (or starts as) a kick-off that started the job polled at {@code statusKey}, or
   * that started none ({@code null}).
   */
  synchronized void answered(String statusKey) {
    if (statusKey == null) {
      release();
      return;
    }
    switch (state) {
      case RESERVED -> jobs.started(reservation, statusKey, false);
      // freed when the answer started otherwise, then turned into a 202 before it went out: the
      // job still counts, even above the client's limit
      case FREED -> jobs.started(reservation, statusKey, true);
      case JOB -> { } // told when the answer started, and again when it ended
    }
    state = State.JOB;
  }

  /** Frees the slot, unless it was already freed or became a job. */
  synchronized void release() {
    if (state == State.RESERVED) {
      state = State.FREED;
      jobs.release(reservation);
    }
  }
}
