package dev.fhirguard.feature.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cluster settings go through the strict loader: every problem at once, the password never
 * shown, and a Redis URL without the fhirguard-redis jar (not on this module's class path) stops
 * start-up naming the artifact.
 */
class ClusterConfigTest {

  private static List<String> problems(Map<String, String> settings) {
    return assertThrows(FhirGuardConfigException.class,
        () -> FhirGuardConfig.load(settings)).problems();
  }

  @Test
  void a_redis_url_without_the_redis_module_stops_start_up_naming_the_artifact() {
    assertEquals(List.of("fhirguard.cluster.redis-url: no cluster store on the class path serves"
        + " 'redis://' URLs; for redis:// and rediss:// add the dev.fhirguard:fhirguard-redis"
        + " jar"), problems(Map.of("fhirguard.cluster.redis-url", "redis://127.0.0.1:6379")));
  }

  @Test
  void every_cluster_problem_is_listed_at_once_and_the_password_is_never_shown() {
    List<String> problems = problems(Map.of(
        "fhirguard.cluster.redis-url", "redis://user:s3cret-pw@127.0.0.1:6379?timeout=1s",
        "fhirguard.cluster.timeout", "1ms",
        "fhirguard.cluster.replicas", "0",
        "fhirguard.cluster.password", "other-pw"));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("fhirguard.cluster.redis-url = 'redis://user:****@"
        + "127.0.0.1:6379?timeout=1s' (from explicit value): expected no query"), problems.get(0));
    assertTrue(problems.get(1).startsWith("fhirguard.cluster.timeout = '1ms'"), problems.get(1));
    assertTrue(problems.get(2).startsWith("fhirguard.cluster.replicas = '0'"), problems.get(2));
    assertFalse(problems.toString().contains("s3cret-pw") || problems.toString().contains("other-pw"));
  }

  @Test
  void rules_across_cluster_keys_are_checked_with_the_url() {
    List<String> problems = problems(Map.of(
        "fhirguard.cluster.redis-url", "redis://:in-url@127.0.0.1:6379",
        "fhirguard.cluster.password", "also-here",
        "fhirguard.cluster.breaker.sliding-window-size", "4",
        "fhirguard.cluster.breaker.minimum-number-of-calls", "5"));
    assertTrue(problems.contains("fhirguard.cluster.redis-url: holds a password and"
        + " fhirguard.cluster.password is set too: give it in one place"), problems.toString());
    assertTrue(problems.contains("fhirguard.cluster.breaker.minimum-number-of-calls: an integer"
        + " from 1 to 4"), problems.toString());
  }

  @Test
  void a_cluster_setting_without_the_url_is_a_start_up_error() {
    assertEquals(List.of("fhirguard.cluster.replicas: set, but fhirguard.cluster.redis-url is"
        + " not"), problems(Map.of("fhirguard.cluster.replicas", "3")));
  }

  @Test
  void the_start_up_log_shows_the_url_with_its_password_masked() {
    String shown = FhirGuardConfig.load(Map.of("fhirguard.auth.issuer", "https://user:pw@x.test"))
        .toString();
    assertTrue(shown.contains("fhirguard.auth.issuer=https://user:****@x.test"), shown);
  }
}
