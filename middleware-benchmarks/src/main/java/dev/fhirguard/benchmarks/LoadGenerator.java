package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load generator: a fixed number of keep-alive connections, one thread each, every
 * thread sending its next request as soon as the previous response has been read, until the
 * round's time is up. The latency of every request is recorded (no coordinated-omission
 * correction: in a closed loop a slow response delays the next request instead of queueing it,
 * so the percentiles are those of the requests sent, not of a fixed arrival rate) and every
 * response is checked against the scenario's {@link Expectation}.
 */
final class LoadGenerator {

  private final int connections;

  LoadGenerator(int connections) {
    this.connections = connections;
  }

  /** Runs {@code scenario} for {@code duration} and returns what it measured. */
  Round run(Scenario scenario, Duration duration) throws InterruptedException, IOException {
    List<Worker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        workers.add(new Worker(scenario));
      }
    } catch (IOException e) {
      workers.forEach(Worker::close);
      throw e;
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (Worker worker : workers) {
      Thread thread = new Thread(() -> worker.loop(go), "load-" + scenario.name());
      thread.start();
      threads.add(thread);
    }
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    workers.forEach(worker -> worker.deadline = deadline);
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long end = workers.stream().mapToLong(worker -> worker.finished).max().orElse(start);
    workers.forEach(Worker::close);
    return summarize(scenario, workers, (end - start) / 1e9);
  }

  private static Round summarize(Scenario scenario, List<Worker> workers, double seconds) {
    long requests = workers.stream().mapToLong(worker -> worker.count).sum();
    long[] latencies = new long[(int) requests];
    int at = 0;
    long total = 0;
    for (Worker worker : workers) {
      System.arraycopy(worker.latencies, 0, latencies, at, worker.count);
      at += worker.count;
      for (int i = 0; i < worker.count; i++) {
        total += worker.latencies[i];
      }
    }
    Arrays.sort(latencies);
    long mismatches = workers.stream().mapToLong(worker -> worker.mismatches).sum();
    long failures = workers.stream().mapToLong(worker -> worker.failures).sum();
    String firstMismatch = workers.stream().map(worker -> worker.firstMismatch.get())
        .filter(text -> text != null).findFirst().orElse(null);
    return new Round(scenario.name(), requests, mismatches, failures, seconds,
        percentile(latencies, 0.50), percentile(latencies, 0.99),
        requests == 0 ? 0 : total / requests, firstMismatch, 0, 0);
  }

  /** The nearest-rank percentile of sorted samples. */
  static long percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** One connection and its thread's records. */
  private static final class Worker {
    private static final int MAX_FAILURES = 100;

    private final Scenario scenario;
    private RawConnection connection;
    private volatile long deadline;
    private long finished;
    private long[] latencies = new long[64 * 1024];
    private int count;
    private long mismatches;
    private long failures;
    private final AtomicReference<String> firstMismatch = new AtomicReference<>();

    Worker(Scenario scenario) throws IOException {
      this.scenario = scenario;
      this.connection = new RawConnection(EndToEndServers.HOST, scenario.port());
    }

    void loop(CountDownLatch go) {
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      byte[] request = scenario.request();
      Expectation expected = scenario.expected();
      long now = System.nanoTime();
      while (now < deadline && failures < MAX_FAILURES) {
        try {
          connection.exchange(request);
          long done = System.nanoTime();
          record(done - now);
          if (!expected.matches(connection)) {
            mismatch();
          }
          if (connection.closeRequested()) {
            reconnect();
          }
          now = done;
        } catch (IOException e) {
          failures++;
          firstMismatch.compareAndSet(null, "no response: " + e.getMessage());
          reconnectQuietly();
          now = System.nanoTime();
        }
      }
      finished = now;
    }

    private void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }

    private void mismatch() {
      mismatches++;
      if (firstMismatch.get() == null) {
        String body = connection.bodyText();
        firstMismatch.compareAndSet(null, "status " + connection.status() + ", "
            + (connection.fhirJson() ? "" : "not FHIR JSON, ")
            + "body " + body.substring(0, Math.min(300, body.length())).replaceAll("\\s+", " "));
      }
    }

    private void reconnect() throws IOException {
      connection.close();
      connection = new RawConnection(EndToEndServers.HOST, scenario.port());
    }

    private void reconnectQuietly() {
      try {
        reconnect();
      } catch (IOException e) {
        failures++;
      }
    }

    void close() {
      try {
        connection.close();
      } catch (IOException e) {
        // closing at the end of a round; nothing to do
      }
    }
  }
}
