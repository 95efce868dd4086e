package dev.fhirguard.feature.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission settings out of range stop start-up with one message naming the key and the range. */
class AdmissionConfigTest {

  private static List<String> problems(String key, String value) {
    return assertThrows(FhirGuardConfigException.class,
        () -> FhirGuard.create(FhirGuardConfig.load(Map.of(key, value)))).problems();
  }

  @Test
  void a_negative_bound_on_requests_in_flight_stops_start_up() {
    assertEquals(List.of("fhirguard.overload.max-in-flight = '-1' (from explicit value): expected"
        + " a whole number from 0 to 1000000"), problems("fhirguard.overload.max-in-flight", "-1"));
  }

  @Test
  void a_zero_maintenance_retry_after_stops_start_up() {
    assertEquals(List.of("fhirguard.maintenance.retry-after = '0s' (from explicit value): expected"
        + " a duration from 1s to 7d such as 500ms, 30s, 5m, 2h or PT30S"),
        problems("fhirguard.maintenance.retry-after", "0s"));
  }
}
