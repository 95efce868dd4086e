package dev.fhirguard.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The in-memory bucket store on its own: its bound under a flood of keys, idle expiry, and no
 * over-admission with many threads on the real clock (admitted at most the capacity plus what
 * refilled while the threads ran).
 */
class RateLimitStoreTest {

  private static final int THREADS = 32;

  private static Policy policy(long capacity, Duration period) {
    return new Policy("client", capacity, period, false);
  }

  @Test
  @Tag("slow")
  void a_million_distinct_keys_keep_the_store_within_its_bound() {
    CaffeineBucketStore store = new CaffeineBucketStore(10_000, TestClock.atNow());
    Policy policy = policy(5, Duration.ofHours(1));
    for (int i = 0; i < 1_000_000; i++) {
      assertTrue(store.tryConsume("client:flood-" + i, policy, 1).allowed());
    }
    long size = store.size();
    assertTrue(size <= 10_000, "held " + size);
    assertTrue(size > 0, "held " + size);
  }

  @Test
  void a_bucket_idle_for_its_period_is_dropped_and_comes_back_full() {
    TestClock clock = TestClock.atNow();
    CaffeineBucketStore store = new CaffeineBucketStore(100, clock);
    Policy policy = new Policy("client", 3, Duration.ofMinutes(1), true);
    for (int i = 0; i < 3; i++) {
      store.tryConsume("client:a", policy, 1);
    }
    clock.advance(Duration.ofSeconds(59));
    assertEquals(1, store.size());
    assertFalse(store.tryConsume("client:a", policy, 1).allowed()); // a read: idle again from now
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, store.size());
    Decision fresh = store.tryConsume("client:a", policy, 1);
    assertTrue(fresh.allowed());
    assertEquals(2, fresh.remaining());
  }

  @Test
  void a_zero_cost_look_takes_nothing_and_reports_the_exact_time_to_full() {
    TestClock clock = TestClock.atNow();
    CaffeineBucketStore store = new CaffeineBucketStore(100, clock);
    Policy policy = policy(3, Duration.ofMinutes(1));
    store.tryConsume("client:a", policy, 3);
    clock.advance(Duration.ofSeconds(10));
    Decision look = store.tryConsume("client:a", policy, 0);
    assertTrue(look.allowed());
    assertEquals(0, look.remaining());
    assertEquals(Duration.ofSeconds(50).toNanos(), look.nanosToFull());
    assertEquals(Duration.ofSeconds(50).toNanos(),
        store.tryConsume("client:a", policy, 1).nanosToFull()); // refused: nothing taken
  }

  @Test
  void thirty_two_threads_on_one_bucket_never_get_more_than_it_holds_and_refills()
      throws Exception {
    Policy policy = policy(2_000, Duration.ofSeconds(10));
    CaffeineBucketStore store = new CaffeineBucketStore(1_000, Clock.systemUTC());
    Run run = hammer(store, policy, 1, 5_000);
    long admitted = run.admitted.get(0);
    assertTrue(admitted >= policy.capacity(), "a full bucket was not used up: " + admitted);
    assertTrue(admitted <= bound(policy, run.elapsedNanos),
        admitted + " admitted, at most " + bound(policy, run.elapsedNanos) + " allowed");
  }

  @Test
  void thirty_two_threads_over_many_keys_never_over_admit_any_of_them() throws Exception {
    Policy policy = policy(200, Duration.ofSeconds(10));
    CaffeineBucketStore store = new CaffeineBucketStore(1_000, Clock.systemUTC());
    Run run = hammer(store, policy, 64, 200);
    for (int key = 0; key < 64; key++) {
      long admitted = run.admitted.get(key);
      assertTrue(admitted >= policy.capacity(), "key " + key + ": " + admitted);
      assertTrue(admitted <= bound(policy, run.elapsedNanos),
          "key " + key + ": " + admitted + " admitted");
    }
  }

  /** Capacity plus the tokens that can have refilled in {@code elapsedNanos}, rounded up. */
  private static long bound(Policy policy, long elapsedNanos) {
    long periodNanos = policy.period().toNanos();
    long refilled =
        -Math.floorDiv(-Math.multiplyExact(policy.capacity(), elapsedNanos), periodNanos);
    return policy.capacity() + refilled;
  }

  private record Run(AtomicLongArray admitted, long elapsedNanos) {}

  /** {@code THREADS} threads, each trying every key {@code rounds} times, released at once. */
  private static Run hammer(CaffeineBucketStore store, Policy policy, int keys, int rounds)
      throws Exception {
    AtomicLongArray admitted = new AtomicLongArray(keys);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
              int key = (k + offset) % keys;
              if (store.tryConsume("client:key-" + key, policy, 1).allowed()) {
                admitted.incrementAndGet(key);
              }
            }
          }
          return null;
        }));
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> future : done) {
        future.get();
      }
      return new Run(admitted, System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }
}
