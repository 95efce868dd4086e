package dev.fhirguard.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Valid non-default values for every plain rate and export limit setting, in {@code Settings.ALL}
 * order.
 */
final class LimitSettingValues {

  private LimitSettingValues() {}

  static Map<String, String> nonDefault() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("fhirguard.rate-limit.enabled", "true");
    values.put("fhirguard.rate-limit.capacity", "500");
    values.put("fhirguard.rate-limit.period", "30s");
    values.put("fhirguard.rate-limit.refill", "interval");
    values.put("fhirguard.rate-limit.max-clients", "5000");
    values.put("fhirguard.rate-limit.export-kickoff-cost", "5");
    values.put("fhirguard.rate-limit.export-poll-cost", "1");
    values.put("fhirguard.rate-limit.headers", "false");
    values.put("fhirguard.rate-limit.ietf-headers", "true");
    values.put("fhirguard.address-limit.enabled", "true");
    values.put("fhirguard.address-limit.capacity", "300");
    values.put("fhirguard.address-limit.period", "30s");
    values.put("fhirguard.address-limit.max-addresses", "5000");
    values.put("fhirguard.export.max-concurrent", "2");
    values.put("fhirguard.export.min-poll-interval", "5s");
    values.put("fhirguard.export.job-ttl", "30m");
    values.put("fhirguard.export.retry-after", "30s");
    return values;
  }
}
