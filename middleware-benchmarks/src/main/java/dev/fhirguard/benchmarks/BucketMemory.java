package dev.fhirguard.benchmarks;

import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;

/**
 * Heap held by {@link CaffeineBucketStore}: bytes per idle client bucket, and the heap a store
 * bounded at 100,000 holds after one million distinct clients. Measured as heap used after full
 * collections, before and after, so it counts everything the store keeps alive (Caffeine's node,
 * hash table and frequency sketch, the Bucket4j bucket and its configuration), and nothing else.
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -cp middleware-benchmarks/target/benchmarks.jar
 * dev.fhirguard.benchmarks.BucketMemory [idle-clients] [flood-clients] [bound]}.
 */
public final class BucketMemory {

  /** The defaults of {@code fhirguard.rate-limit.capacity}, {@code .period} and {@code .refill}. */
  private static final Policy DEFAULT = new Policy("default", 1000, Duration.ofMinutes(1), false);

  private BucketMemory() {}

  public static void main(String[] args) throws InterruptedException {
    int idle = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int flood = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int bound = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    Heap.printJvm();

    long empty = Heap.used();
    String[] keys = new String[idle];
    for (int i = 0; i < idle; i++) {
      keys[i] = key(i);
    }
    long withKeys = Heap.used();
    CaffeineBucketStore store = new CaffeineBucketStore(bound, Clock.systemUTC());
    for (String key : keys) {
      store.tryConsume(key, DEFAULT, 1); // one request each, then idle
    }
    long withStore = Heap.used();
    double perKey = (double) (withKeys - empty) / idle;
    double perBucket = (double) (withStore - withKeys) / idle;
    System.out.printf("%,d idle buckets held: %,d; bytes per bucket %.1f (without its key); "
        + "bytes per key string (%d chars) %.1f%n", idle, store.size(), perBucket,
        keys[0].length(), perKey);
    Reference.reachabilityFence(store);
    Reference.reachabilityFence(keys);
    store = null;
    keys = null;

    long before = Heap.used();
    CaffeineBucketStore flooded = new CaffeineBucketStore(bound, Clock.systemUTC());
    for (int i = 0; i < flood; i++) {
      flooded.tryConsume(key(i), DEFAULT, 1); // keys held only by the store
    }
    long held = flooded.size();
    long after = Heap.used();
    System.out.printf("%,d distinct clients through a store bounded at %,d: %,d buckets held, "
        + "heap held %,d bytes (%.1f MiB); bound x (bucket + key) = %,.0f bytes%n", flood, bound,
        held, after - before, (after - before) / 1048576.0, bound * (perBucket + perKey));
    Reference.reachabilityFence(flooded);
    if (held > bound) {
      throw new IllegalStateException(held + " buckets held, more than the bound " + bound);
    }
  }

  /** {@code client:} and a client id of 13 characters, like the client limit stage's keys. */
  private static String key(int i) {
    return "client:bench-" + String.format("%07d", i);
  }
}
