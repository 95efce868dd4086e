package dev.fhirguard.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void the_ceiling_doubles_from_the_initial_wait_up_to_the_maximum() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.5);
    assertEquals(Duration.ofMillis(500), backoff.ceiling(1));
    assertEquals(Duration.ofSeconds(1), backoff.ceiling(2));
    assertEquals(Duration.ofSeconds(2), backoff.ceiling(3));
    assertEquals(Duration.ofSeconds(16), backoff.ceiling(6));
    assertEquals(MAX, backoff.ceiling(7));
    assertEquals(MAX, backoff.ceiling(1000));
    assertEquals(MAX, backoff.ceiling(Integer.MAX_VALUE));
  }

  @Test
  void full_jitter_spans_zero_to_the_ceiling() {
    assertEquals(Duration.ZERO, new Backoff(INITIAL, MAX, () -> 0.0).delay(3));
    assertEquals(Duration.ofSeconds(1), new Backoff(INITIAL, MAX, () -> 0.5).delay(3));
    Duration almostCeiling = new Backoff(INITIAL, MAX, () -> Math.nextDown(1.0)).delay(3);
    assertTrue(almostCeiling.compareTo(Duration.ofSeconds(2)) <= 0
        && almostCeiling.compareTo(Duration.ofMillis(1999)) > 0, almostCeiling::toString);
  }

  @Test
  void every_random_wait_is_within_its_bounds() {
    Random random = new Random(20);
    Backoff backoff = new Backoff(INITIAL, MAX, random::nextDouble);
    for (int retry = 1; retry <= 100; retry++) {
      for (int i = 0; i < 100; i++) {
        Duration delay = backoff.delay(retry);
        assertTrue(!delay.isNegative() && delay.compareTo(backoff.ceiling(retry)) <= 0,
            "retry " + retry + ": " + delay);
      }
    }
  }

  @Test
  void a_random_source_out_of_range_cannot_push_the_wait_out_of_bounds() {
    assertEquals(Duration.ZERO, new Backoff(INITIAL, MAX, () -> -3.0).delay(2));
    assertEquals(Duration.ofSeconds(1), new Backoff(INITIAL, MAX, () -> 7.0).delay(2));
  }

  @Test
  void huge_settings_do_not_overflow() {
    Backoff backoff = new Backoff(Duration.ofDays(365 * 100), Duration.ofDays(365 * 200), () -> 1.0);
    assertEquals(Duration.ofDays(365 * 200), backoff.ceiling(64));
  }
}
