package dev.fhirguard.benchmarks;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ClusterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rate-limit decision with a cost of 1, in the guard's own store in memory against the
 * cluster store on a real Redis on loopback (started by the benchmark): exact (every decision a
 * GET and an EVAL), and with Bucket4j's delaying optimization ({@code
 * fhirguard.cluster.rate-limit-sync=100ms}). Throughput and latency percentiles (sample time).
 *
 * <p>Each Redis variant checks at tear-down that no decision fell back to local buckets: the
 * figures are Redis's.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ClusterRateLimitBenchmark {

  /** Large enough never to run dry here. */
  static final Policy LARGE = new Policy("bench", 1_000_000_000L, Duration.ofMinutes(1), false);

  @State(Scope.Benchmark)
  public static class Stores {

    /** local: in memory; redis: exact; redis-delaying: synchronized at most every 100 ms. */
    @Param({"local", "redis", "redis-delaying"})
    String store;

    ClusterRedis redis;
    ClusterStore cluster;
    RateLimitStore buckets;
    String[] keys;

    @Setup(Level.Trial)
    public void open() {
      keys = new String[1000];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "client:bench-" + i;
      }
      if (store.equals("local")) {
        buckets = new CaffeineBucketStore(100_000, Clock.systemUTC());
        return;
      }
      redis = new ClusterRedis();
      cluster = redis.open(store.equals("redis") ? Duration.ZERO : Duration.ofMillis(100));
      buckets = cluster.rateLimits();
    }

    String anyKey() {
      return keys[ThreadLocalRandom.current().nextInt(keys.length)];
    }

    @TearDown(Level.Trial)
    public void close() {
      if (cluster == null) {
        return;
      }
      long fallback = cluster.status().fallbackCalls();
      cluster.close();
      redis.close();
      if (fallback > 0) {
        throw new IllegalStateException(fallback + " decisions fell back to local buckets");
      }
    }
  }

  /** One client's bucket, one thread. */
  @Benchmark
  public Decision oneClient(Stores state) {
    return state.buckets.tryConsume("client:bench", LARGE, 1);
  }

  /** One client's bucket from 4 threads: compare-and-swap retries on Redis. */
  @Benchmark
  @Threads(4)
  public Decision oneClientFourThreads(Stores state) {
    return state.buckets.tryConsume("client:bench", LARGE, 1);
  }

  /** 1000 clients drawn at random, from 4 threads: the usual load of a shared store. */
  @Benchmark
  @Threads(4)
  public Decision manyClientsFourThreads(Stores state) {
    return state.buckets.tryConsume(state.anyKey(), LARGE, 1);
  }
}
