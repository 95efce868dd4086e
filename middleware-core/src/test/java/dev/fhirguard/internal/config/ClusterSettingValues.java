package dev.fhirguard.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Valid non-default values for every cluster setting, in {@code Settings.ALL} order. The URL's
 * scheme is served by {@link TestClusterStores}, as the core's tests have no fhirguard-redis.
 */
final class ClusterSettingValues {

  private ClusterSettingValues() {}

  static Map<String, String> nonDefault() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("fhirguard.cluster.redis-url", TestClusterStores.SCHEME + "://127.0.0.1:6390/2");
    values.put("fhirguard.cluster.password", "redis-password");
    values.put("fhirguard.cluster.key-prefix", "app1:");
    values.put("fhirguard.cluster.timeout", "500ms");
    values.put("fhirguard.cluster.connect-timeout", "2s");
    values.put("fhirguard.cluster.replicas", "3");
    values.put("fhirguard.cluster.required", "true");
    values.put("fhirguard.cluster.share-address-limit", "true");
    values.put("fhirguard.cluster.maintenance-sync-interval", "2s");
    values.put("fhirguard.cluster.rate-limit-sync", "100ms");
    values.put("fhirguard.cluster.breaker.failure-rate-threshold", "40");
    values.put("fhirguard.cluster.breaker.sliding-window-size", "30");
    values.put("fhirguard.cluster.breaker.minimum-number-of-calls", "6");
    values.put("fhirguard.cluster.breaker.wait-duration-in-open-state", "10s");
    return values;
  }
}
