package dev.fhirguard.benchmarks;

import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
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
 * One rate-limit decision, {@link CaffeineBucketStore#tryConsume} with a cost of 1, as the client
 * limit stage makes it for every request: a bucket that admits, one that refuses, many clients
 * (inside and far beyond the store's bound), and all cores on one client's bucket.
 *
 * <p>The whole class runs in about four minutes on two cores: 7 runs, 2 forks each, of 5 s of
 * warm-up and 10 s of measurement.
 *
 * <p>Each benchmark returns its {@link Decision}, so JMH consumes it; each state checks in its
 * tear-down that the benchmark measured what its name says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RateLimitDecisionBenchmark {

  /** The configured maximum capacity and the default period: a bucket that never runs dry here. */
  static final Policy LARGE = new Policy("bench", 1_000_000_000L, Duration.ofMinutes(1), false);

  /** One token an hour: once taken, every decision in a run is a refusal. */
  static final Policy SINGLE = new Policy("bench-empty", 1, Duration.ofHours(1), false);

  /** The default {@code fhirguard.rate-limit.max-clients}. */
  static final int BOUND = 100_000;

  /** One client whose bucket always has tokens. */
  @State(Scope.Benchmark)
  public static class Full {
    final CaffeineBucketStore store = new CaffeineBucketStore(BOUND, Clock.systemUTC());
    final String key = "client:bench-client";

    @TearDown(Level.Trial)
    public void check() {
      if (store.tryConsume(key, LARGE, 0).remaining() == 0) {
        throw new IllegalStateException("the bucket ran dry: not every decision was a hit");
      }
    }
  }

  /** One client whose bucket is empty. */
  @State(Scope.Benchmark)
  public static class Empty {
    final CaffeineBucketStore store = new CaffeineBucketStore(BOUND, Clock.systemUTC());
    final String key = "client:bench-client";

    @Setup(Level.Trial)
    public void empty() {
      if (!store.tryConsume(key, SINGLE, 1).allowed()) {
        throw new IllegalStateException("a new bucket must be full");
      }
    }

    @TearDown(Level.Trial)
    public void check() {
      if (store.tryConsume(key, SINGLE, 0).remaining() != 0) {
        throw new IllegalStateException("the bucket refilled: not every decision was a miss");
      }
    }
  }

  /** Clients drawn uniformly at random from {@code keys} distinct ids, in a store of BOUND. */
  @State(Scope.Benchmark)
  public static class ManyClients {
    @Param({"10000", "1000000"})
    int keys;

    CaffeineBucketStore store;
    String[] ids;

    @Setup(Level.Trial)
    public void fill() {
      store = new CaffeineBucketStore(BOUND, Clock.systemUTC());
      ids = new String[keys];
      for (int i = 0; i < keys; i++) {
        ids[i] = "client:bench-client-" + i;
      }
      for (int i = 0; i < Math.min(keys, BOUND); i++) {
        store.tryConsume(ids[i], LARGE, 1);
      }
    }

    String next() {
      return ids[ThreadLocalRandom.current().nextInt(ids.length)];
    }

    @TearDown(Level.Trial)
    public void check() {
      long held = store.size();
      if (held > BOUND) {
        throw new IllegalStateException(held + " buckets held, more than the bound " + BOUND);
      }
    }
  }

  @Benchmark
  public Decision hit(Full state) {
    return state.store.tryConsume(state.key, LARGE, 1);
  }

  @Benchmark
  public Decision miss(Empty state) {
    return state.store.tryConsume(state.key, SINGLE, 1);
  }

  @Benchmark
  public Decision manyKeys(ManyClients state) {
    return state.store.tryConsume(state.next(), LARGE, 1);
  }

  /** The key draw alone (a random index into the keys): the part of manyKeys outside the store. */
  @Benchmark
  public String manyKeysDrawOnly(ManyClients state) {
    return state.next();
  }

  /** Every core of the machine on one client's bucket (compare-and-swap under contention). */
  @Benchmark
  @Threads(Threads.MAX)
  public Decision contendedHit(Full state) {
    return state.store.tryConsume(state.key, LARGE, 1);
  }
}
