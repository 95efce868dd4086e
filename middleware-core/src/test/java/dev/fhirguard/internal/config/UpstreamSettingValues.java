package dev.fhirguard.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Valid non-default values for every plain upstream setting, in {@code Settings.ALL} order. */
final class UpstreamSettingValues {

  private UpstreamSettingValues() {}

  static Map<String, String> nonDefault() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("fhirguard.upstream.failure-rate-threshold", "40");
    values.put("fhirguard.upstream.slow-call-rate-threshold", "60");
    values.put("fhirguard.upstream.slow-call-duration-threshold", "750ms");
    values.put("fhirguard.upstream.wait-duration-in-open-state", "45s");
    values.put("fhirguard.upstream.sliding-window-size", "8");
    values.put("fhirguard.upstream.minimum-number-of-calls", "5");
    values.put("fhirguard.upstream.permitted-number-of-calls-in-half-open-state", "2");
    values.put("fhirguard.upstream.exception-mappings",
        "com.acme.EhrDown=UPSTREAM_UNREACHABLE, com.acme.Ehr$Slow=UPSTREAM_TIMEOUT");
    return values;
  }
}
