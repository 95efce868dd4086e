package dev.fhirguard.sample;

import static dev.fhirguard.sample.ClusterReplicas.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.demo.auth.SampleTokens;
import org.junit.jupiter.api.Test;

/** Redis killed while two sample replicas run: no 5xx, and each replica's fallback limit holds. */
class ClusterFallbackSampleTest {

  @Test
  void redis_killed_mid_run_answers_no_5xx_and_each_replica_keeps_half_the_limit()
      throws Exception {
    try (ClusterReplicas cluster = new ClusterReplicas()) {
      String a = cluster.start();
      String b = cluster.start();
      String tokenA = SampleTokens.withSecret(a, "admin", "admin-secret");
      String tokenB = SampleTokens.withSecret(b, "admin", "admin-secret");
      for (int i = 0; i < 10; i++) { // shared: 90 of the 100 left
        assertEquals(200, get((i % 2 == 0 ? a : b) + "/fhir/Patient?_count=1",
            i % 2 == 0 ? tokenA : tokenB).statusCode());
      }

      cluster.redis.stop();

      int admitted = 0;
      for (int i = 0; i < 80; i++) {
        int status = get(a + "/fhir/Patient?_count=1", tokenA).statusCode();
        assertTrue(status == 200 || status == 429, "no 5xx while Redis is down: " + status);
        admitted += status == 200 ? 1 : 0;
      }
      assertEquals(50, admitted, "replica A's fallback bucket: capacity 100 / 2 replicas");
      assertEquals(200, get(b + "/fhir/Patient?_count=1", tokenB).statusCode(),
          "replica B has its own fallback bucket");
    }
  }
}
