package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for a condition other threads make true; a timeout fails the test. */
public final class Await {

  private static final long LIMIT_SECONDS = 20;

  private Await() {}

  /** Spins (yielding) until {@code condition} holds; fails with {@code why} after 20 s. */
  public static void until(BooleanSupplier condition, Supplier<String> why) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(why.get());
      }
      Thread.yield();
    }
  }
}
