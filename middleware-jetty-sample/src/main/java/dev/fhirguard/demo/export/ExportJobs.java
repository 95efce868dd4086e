package dev.fhirguard.demo.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The export jobs of the sample: at most {@link #MAX_JOBS} kept, each for {@link #KEEP} after its
 * kick-off or its end, run {@link #THREADS} at a time. Started and stopped with the servlet
 * context; stopping interrupts running jobs and forgets every job.
 */
final class ExportJobs extends AbstractLifeCycle {

  static final int MAX_JOBS = 50;
  static final int THREADS = 2;
  static final Duration KEEP = Duration.ofHours(1);

  private final Map<String, ExportJob> jobs = new LinkedHashMap<>();
  private final ExportGate gate;
  private final ExportRunner runner;
  private final Clock clock;
  private ThreadPoolExecutor executor;

  ExportJobs(ExportGate gate, ExportRunner runner, Clock clock) {
    this.gate = gate;
    this.runner = runner;
    this.clock = clock;
  }

  @Override
  protected synchronized void doStart() {
    executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_JOBS), runnable -> {
          Thread thread = new Thread(runnable, "bulk-export");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  protected void doStop() throws InterruptedException {
    ExecutorService stopping;
    synchronized (this) {
      stopping = executor;
      jobs.clear();
      notifyAll();
    }
    stopping.shutdownNow();
    stopping.awaitTermination(5, TimeUnit.SECONDS);
  }

  /**
   * Starts a job for {@code owner}; {@code null} when {@link #MAX_JOBS} jobs are kept and none of
   * them has ended.
   *
   * @param kickoffRequestId the kick-off's transaction id, for the log
   * @param request the kick-off URL
   * @param base the FHIR base URL of the kick-off
   * @param notes error-file lines the job starts with (the kick-off parameters it ignores)
   */
  synchronized ExportJob start(String owner, String kickoffRequestId, ExportScope scope,
      String request, String base, List<String> notes) {
    removeExpired();
    if (jobs.size() >= MAX_JOBS && !removeOldestEnded()) {
      return null;
    }
    ExportJob job = new ExportJob(UUID.randomUUID().toString(), owner, kickoffRequestId, request,
        base, clock.instant(), scope, KEEP, notes);
    executor.purge(); // cancelled jobs that never ran leave the queue: it holds MAX_JOBS at most
    jobs.put(job.id(), job);
    job.runs(executor.submit(() -> {
      try {
        runner.run(job);
      } finally {
        ended();
      }
    }));
    return job;
  }

  /** The job {@code id} if {@code owner} started it and it has not expired. */
  synchronized Optional<ExportJob> find(String id, String owner) {
    removeExpired();
    ExportJob job = id == null ? null : jobs.get(id);
    return job != null && job.isOwnedBy(owner) ? Optional.of(job) : Optional.empty();
  }

  /** Cancels (or, when it has ended, deletes) {@code owner}'s job {@code id}; false if none. */
  synchronized boolean cancel(String id, String owner) {
    if (find(id, owner).isEmpty()) {
      return false;
    }
    jobs.remove(id).stop();
    notifyAll();
    return true;
  }

  /** Holds jobs before their next type until {@link #run}. */
  void hold() {
    gate.hold();
  }

  /**
   * Lets held jobs go on, and waits until no job runs, at most {@code timeout}.
   *
   * @return whether every job has ended
   */
  synchronized boolean run(Duration timeout) throws InterruptedException {
    gate.open();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos(); running() > 0 && left > 0;
        left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return running() == 0;
  }

  boolean isHeld() {
    return gate.isHeld();
  }

  /** Jobs that have not ended yet. */
  synchronized int running() {
    return (int) jobs.values().stream()
        .filter(job -> job.state() == ExportJob.State.RUNNING).count();
  }

  private synchronized void ended() {
    notifyAll();
  }

  private void removeExpired() {
    Instant now = clock.instant();
    for (Iterator<ExportJob> it = jobs.values().iterator(); it.hasNext(); ) {
      ExportJob job = it.next();
      if (!now.isBefore(job.expiresAt())) {
        job.stop();
        it.remove();
      }
    }
  }

  private boolean removeOldestEnded() {
    for (Iterator<ExportJob> it = jobs.values().iterator(); it.hasNext(); ) {
      if (it.next().state() != ExportJob.State.RUNNING) {
        it.remove();
        return true;
      }
    }
    return false;
  }
}
