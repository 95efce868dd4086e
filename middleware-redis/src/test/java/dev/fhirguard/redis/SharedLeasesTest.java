package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.cluster.ExportLeases.Reservation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedLeasesTest extends OneRedis {

  private static final String CLIENT = "client:bulk-app";
  private static final String STATUS = "/fhir/$export-poll-status?_jobId=42";

  @Test
  void the_export_limit_holds_across_replicas() {
    ClusterSettings settings = redis.settings().build();
    ExportLeases one = redis.open(settings).exportLeases();
    ExportLeases other = redis.open(settings).exportLeases();

    Reservation first = one.reserve(CLIENT, 1);
    assertNotNull(first);
    assertNull(other.reserve(CLIENT, 1), "the one slot is taken on the other replica");
    assertNotNull(other.reserve("client:another-app", 1), "another client has its own");

    one.release(first);
    Reservation second = other.reserve(CLIENT, 1);
    assertNotNull(second, "a released slot is free at once");
    other.started(second, STATUS);
    assertTrue(one.isRunning(CLIENT, STATUS), "the job is seen on every replica");
    assertNull(one.reserve(CLIENT, 1), "a running job holds the slot");
    assertNotNull(one.reserve(CLIENT, 0), "0: no limit");

    one.ended(CLIENT, STATUS);
    assertFalse(other.isRunning(CLIENT, STATUS));
  }

  @Test
  void the_poll_pace_holds_across_replicas() {
    ClusterSettings settings = redis.settings().export(Duration.ofHours(1), Duration.ofMinutes(1))
        .build();
    ExportLeases one = redis.open(settings).exportLeases();
    ExportLeases other = redis.open(settings).exportLeases();
    one.started(one.reserve(CLIENT, 1), STATUS);

    assertEquals(Duration.ZERO, other.poll(CLIENT, STATUS),
        "the first poll after the kick-off is admitted at once, and recorded");
    Duration wait = one.poll(CLIENT, STATUS);
    assertTrue(wait.compareTo(Duration.ofSeconds(50)) > 0 && wait.compareTo(Duration.ofMinutes(1)) <= 0,
        "the next poll waits the interval: " + wait);

    one.pollNotBefore(CLIENT, STATUS, Duration.ZERO); // the server said: poll now
    assertEquals(Duration.ZERO, other.poll(CLIENT, STATUS), "admitted, and recorded");
    Duration next = one.poll(CLIENT, STATUS);
    assertTrue(next.compareTo(Duration.ofSeconds(50)) > 0, "paced again: " + next);

    other.pollNotBefore(CLIENT, STATUS, Duration.ofMinutes(5)); // a Retry-After of the server
    assertTrue(one.poll(CLIENT, STATUS).compareTo(Duration.ofMinutes(4)) > 0);
    assertEquals(Duration.ZERO, one.poll(CLIENT, "/fhir/not-a-job"), "not a job: not paced");
  }

  @Test
  void a_client_without_leases_costs_redis_a_call_a_second_and_a_job_started_elsewhere_is_seen()
  {
    try (RedisFixture own = RedisFixture.start()) { // no other store's background reads
      ClusterSettings settings = own.settings().maintenanceSyncInterval(Duration.ofMinutes(1))
          .export(Duration.ofHours(1), Duration.ofSeconds(2)).build();
      ExportLeases one = own.open(settings).exportLeases();
      ExportLeases other = own.open(settings).exportLeases();
      long before = evals(own);
      for (int i = 0; i < 100; i++) {
        assertFalse(one.isRunning(CLIENT, STATUS));
      }
      long asked = evals(own) - before;
      assertTrue(asked >= 1 && asked <= 3, "100 GETs of a client without jobs, " + asked
          + " Redis calls");

      other.started(other.reserve(CLIENT, 1), STATUS);
      RedisFixture.await(Duration.ofSeconds(5), () -> one.isRunning(CLIENT, STATUS),
          "the job started on the other replica to be seen here");
    }
  }

  private static long evals(RedisFixture redis) {
    String stats = redis.admin().info("commandstats");
    return Long.parseLong(stats.replaceAll("(?s).*cmdstat_eval:calls=(\\d+).*", "$1"));
  }

  @Test
  void a_dead_replicas_lease_expires_after_the_job_ttl() {
    ClusterSettings settings = redis.settings().export(Duration.ofSeconds(2), Duration.ZERO)
        .build();
    ClusterStore dying = ClusterStore.open(settings);
    ExportLeases survivor = redis.open(settings).exportLeases();
    dying.exportLeases().started(dying.exportLeases().reserve(CLIENT, 1), STATUS);
    Reservation pending = dying.exportLeases().reserve("client:kicking-off", 1);
    assertNotNull(pending);
    dying.close(); // crashed: nothing released

    assertNull(survivor.reserve(CLIENT, 1), "held until the lease expires");
    assertNull(survivor.reserve("client:kicking-off", 1));
    AtomicReference<Reservation> freed = new AtomicReference<>();
    RedisFixture.await(Duration.ofSeconds(15), () -> {
      freed.set(survivor.reserve(CLIENT, 1));
      return freed.get() != null;
    }, "the dead replica's job lease to expire");
    assertFalse(survivor.isRunning(CLIENT, STATUS));
    RedisFixture.await(Duration.ofSeconds(15),
        () -> survivor.reserve("client:kicking-off", 1) != null,
        "the dead replica's reservation to expire");
  }

  @Test
  void a_poll_renews_the_lease() {
    ClusterSettings settings = redis.settings().export(Duration.ofSeconds(3), Duration.ZERO)
        .build();
    ExportLeases leases = redis.open(settings).exportLeases();
    leases.started(leases.reserve(CLIENT, 1), STATUS);
    String key = settings.keyPrefix() + "ex:{" + CLIENT + "}";
    double before = redis.admin().zscore(key, "j:" + STATUS);
    RedisFixture.await(Duration.ofSeconds(5), () -> {
      leases.poll(CLIENT, STATUS);
      return redis.admin().zscore(key, "j:" + STATUS) > before;
    }, "a poll to push the lease's expiry on");
  }

  @Test
  void every_key_has_a_ttl() {
    ClusterSettings settings = redis.settings().build();
    ClusterStore store = redis.open(settings);
    ExportLeases leases = store.exportLeases();
    leases.started(leases.reserve(CLIENT, 1), STATUS);
    leases.pollNotBefore(CLIENT, STATUS, Duration.ofSeconds(30));
    leases.reserve("client:other", 2);
    store.rateLimits().tryConsume("client:x",
        new dev.fhirguard.RateLimitStore.Policy("client", 10, Duration.ofMinutes(1), false), 1);
    store.maintenance().set(true);

    List<String> keys = redis.keys(settings.keyPrefix());
    assertEquals(5, keys.size(), keys.toString()); // 2 lease sets, 1 poll hash, bucket, switch
    for (String key : keys) {
      long ttl = redis.admin().pttl(key);
      assertTrue(ttl > 0, key + " has a TTL: " + ttl);
    }
  }

  @Test
  void a_long_client_key_and_status_url_are_hashed_and_still_work() {
    ClusterSettings settings = redis.settings().build();
    ExportLeases leases = redis.open(settings).exportLeases();
    String client = "client:" + "c".repeat(5000);
    String status = "/fhir/status?" + "q".repeat(5000);
    leases.started(leases.reserve(client, 1), status);
    assertTrue(leases.isRunning(client, status));
    assertNull(leases.reserve(client, 1));
    for (String key : redis.keys(settings.keyPrefix())) {
      assertTrue(key.length() < 100, key);
    }
    leases.ended(client, status);
    assertNotNull(leases.reserve(client, 1));
  }
}
