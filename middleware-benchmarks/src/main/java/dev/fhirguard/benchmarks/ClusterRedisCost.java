package dev.fhirguard.benchmarks;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ExportLeases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the cluster store costs Redis: commands (round trips) per rate-limit decision, exact and
 * with Bucket4j's delaying optimization, and the memory of a client's keys (MEMORY USAGE, and
 * {@code used_memory} per client over many), and that a bucket's key is gone once it would be
 * full again.
 *
 * <p>Run: {@code java -cp middleware-benchmarks/target/benchmarks.jar
 * dev.fhirguard.benchmarks.ClusterRedisCost}.
 */
public final class ClusterRedisCost {

  /** The defaults of {@code fhirguard.rate-limit.capacity}, {@code .period} and {@code .refill}. */
  private static final Policy DEFAULT = new Policy("client", 1000, Duration.ofMinutes(1), false);

  private static final int DECISIONS = 20_000;
  private static final int CLIENTS = 10_000;

  private ClusterRedisCost() {}

  public static void main(String[] args) throws Exception {
    try (ClusterRedis redis = new ClusterRedis()) {
      for (Duration sync : List.of(Duration.ZERO, Duration.ofMillis(100))) {
        roundTrips(redis, sync, 1);
        roundTrips(redis, sync, 4);
      }
      memory(redis);
    }
  }

  private static void roundTrips(ClusterRedis redis, Duration sync, int threads)
      throws Exception {
    try (ClusterStore store = redis.open(sync)) {
      RateLimitStore buckets = store.rateLimits();
      Policy large = new Policy("client", 1_000_000_000L, Duration.ofMinutes(1), false);
      buckets.tryConsume("client:warm", large, 1);
      long readsBefore = redis.reads();
      long evalsBefore = redis.calls("eval");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < DECISIONS / threads; i++) {
              buckets.tryConsume("client:one", large, 1);
            }
          }));
        }
        for (Future<?> each : done) {
          each.get();
        }
      } finally {
        pool.shutdown();
      }
      long evals = redis.calls("eval") - evalsBefore;
      long reads = redis.reads() - readsBefore - 2; // the two INFO calls of the second count
      System.out.printf("%s, %d thread(s) on one client: %,d decisions, %,d socket reads"
          + " (%.3f per decision), %,d EVALs, compare-and-swap attempts (%.3f per decision);"
          + " fallback answers: %d%n",
          sync.isZero() ? "exact" : "delaying " + sync.toMillis() + " ms", threads, DECISIONS,
          reads, (double) reads / DECISIONS, evals, (double) evals / DECISIONS,
          store.status().fallbackCalls());
    }
  }

  private static void memory(ClusterRedis redis) {
    redis.admin().flushall();
    try (ClusterStore store = redis.open(Duration.ZERO)) {
      long empty = redis.usedMemory();
      for (int i = 0; i < CLIENTS; i++) { // half the bucket: its key lives 30 s
        store.rateLimits().tryConsume(String.format("client:bench-%07d", i), DEFAULT, 500);
      }
      long filled = redis.usedMemory();
      String bucketKey = redis.admin().keys("bench:rl:*").get(0);
      System.out.printf("an active client's bucket (key %s, %d chars): MEMORY USAGE %d bytes;"
          + " used_memory per client over %,d clients: %.1f bytes; its TTL %d ms%n", bucketKey,
          bucketKey.length(), redis.admin().memoryUsage(bucketKey), CLIENTS,
          (double) (filled - empty) / CLIENTS, redis.admin().pttl(bucketKey));

      ExportLeases leases = store.exportLeases();
      leases.started(leases.reserve("client:bench-0000001", 1),
          "/fhir/$export-poll-status?_jobId=0123456789abcdef");
      for (String key : redis.admin().keys("bench:ex:*")) {
        System.out.printf("an export job's key %s: MEMORY USAGE %d bytes%n", key,
            redis.admin().memoryUsage(key));
      }
      store.maintenance().set(true);
      System.out.printf("the maintenance key: MEMORY USAGE %d bytes%n",
          redis.admin().memoryUsage("bench:maintenance"));
      store.maintenance().set(false);

      redis.admin().flushall();
      Policy second = new Policy("client", 1000, Duration.ofSeconds(1), false);
      for (int i = 0; i < 1000; i++) {
        store.rateLimits().tryConsume("client:idle-" + i, second, 500);
      }
      long start = System.nanoTime();
      long keys = redis.admin().dbsize();
      while (redis.admin().dbsize() > 0 && System.nanoTime() - start < 30_000_000_000L) {
        Thread.onSpinWait();
      }
      System.out.printf("1,000 buckets of a 1 s period, one request each: %d keys, %d keys"
          + " %.1f s later (expired once full)%n", keys, redis.admin().dbsize(),
          (System.nanoTime() - start) / 1e9);
    }
  }
}
