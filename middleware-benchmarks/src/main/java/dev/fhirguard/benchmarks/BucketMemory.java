package dev.fhirguard.benchmarks;

import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
    System.out.printf("JVM %s %s, max heap %d MiB, collectors %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getGarbageCollectorMXBeans()
            .stream().map(GarbageCollectorMXBean::getName).toList());

    long empty = usedHeap();
    String[] keys = new String[idle];
    for (int i = 0; i < idle; i++) {
      keys[i] = key(i);
    }
    long withKeys = usedHeap();
    CaffeineBucketStore store = new CaffeineBucketStore(bound, Clock.systemUTC());
    for (String key : keys) {
      store.tryConsume(key, DEFAULT, 1); // one request each, then idle
    }
    long withStore = usedHeap();
    double perKey = (double) (withKeys - empty) / idle;
    double perBucket = (double) (withStore - withKeys) / idle;
    System.out.printf("%,d idle buckets held: %,d; bytes per bucket %.1f (without its key); "
        + "bytes per key string (%d chars) %.1f%n", idle, store.size(), perBucket,
        keys[0].length(), perKey);
    Reference.reachabilityFence(store);
    Reference.reachabilityFence(keys);
    store = null;
    keys = null;

    long before = usedHeap();
    CaffeineBucketStore flooded = new CaffeineBucketStore(bound, Clock.systemUTC());
    for (int i = 0; i < flood; i++) {
      flooded.tryConsume(key(i), DEFAULT, 1); // keys held only by the store
    }
    long held = flooded.size();
    long after = usedHeap();
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

  /** Heap used after full collections, once it no longer shrinks. */
  private static long usedHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      System.gc();
      Thread.sleep(100);
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used && round >= 2) {
        return Math.min(now, used);
      }
      used = Math.min(used, now);
    }
    return used;
  }
}
