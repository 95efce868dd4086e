package dev.fhirguard.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Valid non-default values for every admission setting, in {@code Settings.ALL} order. */
final class AdmissionSettingValues {

  private AdmissionSettingValues() {}

  static Map<String, String> nonDefault() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("fhirguard.maintenance.enabled", "true");
    values.put("fhirguard.maintenance.file", "/var/run/fhir/maintenance");
    values.put("fhirguard.maintenance.retry-after", "15m");
    values.put("fhirguard.maintenance.exempt-paths", "/health, /fhir/metadata");
    values.put("fhirguard.overload.max-in-flight", "200");
    values.put("fhirguard.overload.max-in-flight-per-client", "20");
    values.put("fhirguard.overload.retry-after", "10s");
    return values;
  }
}
