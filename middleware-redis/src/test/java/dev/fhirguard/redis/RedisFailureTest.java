package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStatus;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ExportLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Redis killed, restarted, paused, or answering errors: callers never see an exception. */
class RedisFailureTest {

  private static final Policy TEN_A_MINUTE = new Policy("client", 10, Duration.ofMinutes(1), true);

  @Test
  void redis_killed_mid_run_callers_get_answers_in_bounded_time_and_fallback_limits_hold()
      throws Exception {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().replicas(2).build();
      ClusterStore one = redis.open(settings);
      ClusterStore other = redis.open(settings);
      assertTrue(one.rateLimits().tryConsume("client:a", TEN_A_MINUTE, 1).allowed());

      redis.stop();
      ExecutorService callers = Executors.newFixedThreadPool(8);
      try {
        List<Future<long[]>> results = new ArrayList<>();
        for (ClusterStore store : List.of(one, other)) {
          for (int t = 0; t < 4; t++) {
            String key = "client:fresh-" + t;
            results.add(callers.submit(() -> admittedAndSlowest(store.rateLimits(), key, 20)));
          }
        }
        for (Future<long[]> result : results) {
          long[] admittedAndSlowest = result.get();
          assertEquals(5, admittedAndSlowest[0], "10 / 2 replicas admitted per fresh key");
          assertTrue(admittedAndSlowest[1] < Duration.ofSeconds(2).toNanos(),
              "each call within the 500 ms timeout and some: " + admittedAndSlowest[1] + " ns");
        }
      } finally {
        callers.shutdownNow();
      }
      ExportLeases leases = one.exportLeases();
      assertNotNull(leases.reserve("client:a", 1), "a local slot");
      assertEquals(null, leases.reserve("client:a", 1), "the local limit holds");
      assertFalse(one.status().shared());
      assertTrue(one.status().fallbackCalls() > 0);
    }
  }

  @Test
  void redis_restarted_the_replicas_share_again_by_themselves() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().replicas(2).build();
      ClusterStore one = redis.open(settings);
      ClusterStore other = redis.open(settings);
      redis.stop();
      RedisFixture.await(Duration.ofSeconds(10), () -> {
        one.rateLimits().tryConsume("client:probe", TEN_A_MINUTE, 0);
        return !one.status().shared();
      }, "the breaker to open");

      redis.restart();
      RedisFixture.await(Duration.ofSeconds(20), () -> {
        one.rateLimits().tryConsume("client:probe", TEN_A_MINUTE, 0);
        other.rateLimits().tryConsume("client:probe", TEN_A_MINUTE, 0);
        return one.status().shared() && other.status().shared();
      }, "both replicas to share again");
      for (int i = 0; i < 10; i++) {
        assertTrue(one.rateLimits().tryConsume("client:after", TEN_A_MINUTE, 1).allowed());
      }
      assertFalse(other.rateLimits().tryConsume("client:after", TEN_A_MINUTE, 1).allowed(),
          "the whole shared bucket, not a replica's half");
    }
  }

  @Test
  void redis_paused_calls_time_out_and_the_breaker_opens_then_closes_when_it_answers()
      throws Exception {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().timeout(Duration.ofMillis(200))
          .breaker(50, 4, 4, Duration.ofSeconds(3)).build();
      ClusterStore store = redis.open(settings);
      RateLimitStore buckets = store.rateLimits();
      assertTrue(buckets.tryConsume("client:p", TEN_A_MINUTE, 1).allowed());
      long failedBefore = store.status().failedCalls();

      redis.pause(Duration.ofSeconds(4));
      for (int i = 0; i < 4; i++) {
        long start = System.nanoTime();
        assertNotNull(buckets.tryConsume("client:p", TEN_A_MINUTE, 1));
        long took = System.nanoTime() - start;
        assertTrue(took < Duration.ofSeconds(2).toNanos(), "a 200 ms timeout honoured: " + took);
      }
      ClusterStatus open = store.status();
      assertFalse(open.shared(), "half of the last 4 calls failed: the breaker is open");
      assertTrue(open.failedCalls() - failedBefore >= 2, open.toString());
      for (int i = 0; i < 50; i++) {
        buckets.tryConsume("client:p", TEN_A_MINUTE, 1);
      }
      assertEquals(open.failedCalls(), store.status().failedCalls(),
          "an open breaker sends no call to Redis: no timeout paid");

      RedisFixture.await(Duration.ofSeconds(20), () -> {
        buckets.tryConsume("client:p", TEN_A_MINUTE, 0);
        return store.status().shared();
      }, "the breaker to close once the pause is over");
    }
  }

  @Test
  void redis_answering_errors_makes_the_fallback_answer_not_an_exception() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterStore store = redis.open(redis.settings().build());
      redis.admin().configSet("maxmemory-policy", "noeviction");
      redis.admin().configSet("maxmemory", "1"); // every write: OOM command not allowed
      assertTrue(store.rateLimits().tryConsume("client:oom", TEN_A_MINUTE, 1).allowed());
      assertNotNull(store.exportLeases().reserve("client:oom", 1));
      assertTrue(store.status().failedCalls() >= 2, store.status().toString());
      assertTrue(store.status().lastFailure().contains("OOM"), store.status().lastFailure());
    }
  }

  private static long[] admittedAndSlowest(RateLimitStore store, String key, int calls) {
    long admitted = 0;
    long slowest = 0;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      if (store.tryConsume(key, TEN_A_MINUTE, 1).allowed()) {
        admitted++;
      }
      slowest = Math.max(slowest, System.nanoTime() - start);
    }
    return new long[] {admitted, slowest};
  }
}
