package dev.fhirguard.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Heap measurement shared by {@link BucketMemory} and {@link TokenCacheMemory}. */
final class Heap {

  private Heap() {}

  /** Prints the JVM, its maximum heap and its collectors, for the figures' record. */
  static void printJvm() {
    System.out.printf("JVM %s %s, max heap %d MiB, collectors %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getGarbageCollectorMXBeans()
            .stream().map(GarbageCollectorMXBean::getName).toList());
  }

  /** Heap used after full collections, once it no longer shrinks. */
  static long used() throws InterruptedException {
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
