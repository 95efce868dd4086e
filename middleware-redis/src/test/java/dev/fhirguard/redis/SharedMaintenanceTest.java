package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.SharedSwitch;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedMaintenanceTest {

  /** A sync interval of 200 ms plus a 500 ms timeout, with room for a loaded machine. */
  private static final Duration BOUND = Duration.ofSeconds(3);

  @Test
  void maintenance_set_on_one_replica_reaches_the_others_within_the_sync_bound() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().build();
      SharedSwitch one = redis.open(settings).maintenance();
      SharedSwitch other = redis.open(settings).maintenance();
      SharedSwitch third = redis.open(settings).maintenance();

      assertTrue(one.set(true), "stored in Redis");
      assertTrue(one.isOn(), "at once on the replica that set it");
      RedisFixture.await(BOUND, () -> other.isOn() && third.isOn(), "on everywhere");

      assertTrue(third.set(false));
      RedisFixture.await(BOUND, () -> !one.isOn() && !other.isOn(), "off everywhere");
    }
  }

  @Test
  void a_replica_started_later_reads_the_shared_state_at_start() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().build();
      redis.open(settings).maintenance().set(true);
      assertTrue(redis.open(settings).maintenance().isOn(), "read before the store is returned");
    }
  }

  @Test
  void the_last_known_state_is_kept_while_redis_is_down_and_a_state_set_meanwhile_is_written_later() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().build();
      SharedSwitch one = redis.open(settings).maintenance();
      SharedSwitch other = redis.open(settings).maintenance();
      one.set(true);
      RedisFixture.await(BOUND, other::isOn, "on everywhere");

      redis.stop();
      assertFalse(one.set(false), "Redis is down: only this replica knows for now");
      assertFalse(one.isOn());
      assertTrue(other.isOn(), "the last known state");

      redis.restart(); // empty: the 'on' key is gone with the old process
      one.set(true);
      one.set(false); // the last state set is the one written
      RedisFixture.await(Duration.ofSeconds(20), () -> redis.keys(settings.keyPrefix()).isEmpty()
          && !other.isOn(), "the state set meanwhile written and read everywhere");
    }
  }
}
