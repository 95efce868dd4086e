package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SharedBucketsTest extends OneRedis {

  @Test
  void three_replicas_admit_exactly_the_capacity_under_64_concurrent_threads() throws Exception {
    ClusterSettings settings = redis.settings().replicas(3).timeout(Duration.ofSeconds(10)).build();
    List<ClusterStore> replicas = List.of(redis.open(settings), redis.open(settings),
        redis.open(settings));
    Policy policy = new Policy("client", 200, Duration.ofHours(1), true);
    AtomicLong admitted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(64);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        RateLimitStore store = replicas.get(t % 3).rateLimits();
        done.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 8; i++) {
            if (store.tryConsume("client:hot", policy, 1).allowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> each : done) {
        each.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(200, admitted.get(), "512 attempts on a bucket of 200: exactly 200 admitted");
    for (ClusterStore replica : replicas) {
      assertEquals(0, replica.status().fallbackCalls(), "every decision was a shared one");
    }
  }

  @Test
  void a_shared_bucket_decides_as_the_local_store_does() {
    RateLimitStore shared = redis.open(redis.settings().build()).rateLimits();
    for (boolean interval : new boolean[] {false, true}) {
      RateLimitStore local = new CaffeineBucketStore(100, Clock.systemUTC());
      Policy policy = new Policy("client", 10, Duration.ofSeconds(60), interval);
      String key = "client:same-" + interval;
      for (long cost : new long[] {0, 3, 0, 5, 2, 1, 4, 0}) {
        Decision expected = local.tryConsume(key, policy, cost);
        Decision actual = shared.tryConsume(key, policy, cost);
        String step = (interval ? "interval" : "greedy") + ", cost " + cost;
        assertEquals(expected.allowed(), actual.allowed(), step);
        assertEquals(expected.remaining(), actual.remaining(), step);
        assertClose(expected.nanosToWait(), actual.nanosToWait(), step + ": nanosToWait");
        assertClose(expected.nanosToFull(), actual.nanosToFull(), step + ": nanosToFull");
      }
    }
  }

  @Test
  void a_bucket_spent_on_one_replica_is_spent_on_the_other() {
    ClusterSettings settings = redis.settings().replicas(2).build();
    RateLimitStore one = redis.open(settings).rateLimits();
    RateLimitStore other = redis.open(settings).rateLimits();
    Policy policy = new Policy("client", 5, Duration.ofMinutes(1), false);
    for (int i = 0; i < 5; i++) {
      assertTrue(one.tryConsume("client:app", policy, 1).allowed());
    }
    Decision refused = other.tryConsume("client:app", policy, 1);
    assertFalse(refused.allowed());
    assertEquals(0, refused.remaining());
    assertClose(Duration.ofSeconds(12).toNanos(), refused.nanosToWait(), "one token's refill");
  }

  @Test
  void a_bucket_key_expires_once_the_bucket_would_be_full_again() {
    ClusterSettings settings = redis.settings().build();
    RateLimitStore store = redis.open(settings).rateLimits();
    store.tryConsume("client:idle", new Policy("client", 100, Duration.ofSeconds(30), false), 40);
    List<String> keys = redis.keys(settings.keyPrefix());
    assertEquals(1, keys.size(), keys.toString());
    long ttl = redis.admin().pttl(keys.get(0));
    // 40 of 100 tokens come back in 12 s
    assertTrue(ttl > 10_000 && ttl <= 12_000, "TTL of a bucket 12 s from full: " + ttl + " ms");
  }

  @Test
  void a_long_client_id_gets_a_key_of_bounded_length() {
    ClusterSettings settings = redis.settings().build();
    RateLimitStore store = redis.open(settings).rateLimits();
    Policy policy = new Policy("client", 2, Duration.ofMinutes(1), false);
    String longId = "client:" + "x".repeat(10_000);
    assertTrue(store.tryConsume(longId, policy, 2).allowed());
    assertFalse(store.tryConsume(longId, policy, 1).allowed(), "the same bucket again");
    assertTrue(store.tryConsume(longId + "y", policy, 1).allowed(), "another client, another bucket");
    for (String key : redis.keys(settings.keyPrefix())) {
      assertTrue(key.length() <= settings.keyPrefix().length() + 80, key);
    }
  }

  @Test
  void address_buckets_stay_local_unless_shared_by_the_settings() {
    Policy policy = new Policy("address", 4, Duration.ofMinutes(1), false);
    ClusterSettings local = redis.settings().replicas(2).build();
    RateLimitStore store = redis.open(local).rateLimits();
    assertTrue(store.tryConsume("address:192.0.2.1", policy, 2).allowed());
    assertFalse(store.tryConsume("address:192.0.2.1", policy, 1).allowed(), "4 / 2 replicas");
    assertEquals(List.of(), redis.keys(local.keyPrefix()), "no Redis key for an address");

    ClusterSettings shared = redis.settings().replicas(2).shareAddressLimit(true).build();
    RateLimitStore sharing = redis.open(shared).rateLimits();
    assertTrue(sharing.tryConsume("address:192.0.2.1", policy, 4).allowed());
    assertEquals(1, redis.keys(shared.keyPrefix()).size());
  }

  @Test
  void with_rate_limit_sync_replicas_overshoot_by_a_tenth_at_most_with_far_fewer_round_trips() {
    ClusterSettings settings = redis.settings().replicas(2).rateLimitSync(Duration.ofMillis(50))
        .build();
    List<RateLimitStore> replicas = List.of(redis.open(settings).rateLimits(),
        redis.open(settings).rateLimits());
    Policy policy = new Policy("client", 100, Duration.ofHours(1), true);
    long readsBefore = reads();
    long admitted = 0;
    for (int i = 0; i < 200; i++) {
      for (RateLimitStore replica : replicas) {
        admitted += replica.tryConsume("client:batched", policy, 1).allowed() ? 1 : 0;
      }
    }
    long roundTrips = reads() - readsBefore;
    // each replica syncs after 100 / (10 x 2) = 5 unsynchronized tokens
    assertTrue(admitted >= 100 && admitted <= 110, "admitted " + admitted);
    assertTrue(roundTrips < 400, roundTrips + " round trips for 400 decisions");
  }

  private static long reads() {
    String stats = redis.admin().info("stats");
    return Long.parseLong(stats.replaceAll("(?s).*total_reads_processed:(\\d+).*", "$1"));
  }

  /** Redis keeps time in milliseconds, on the clock of the wall; the store by the nanosecond. */
  private static void assertClose(long expected, long actual, String what) {
    assertTrue(Math.abs(expected - actual) <= Duration.ofMillis(250).toNanos(),
        what + ": expected about " + expected + " ns, got " + actual);
  }
}
