package dev.fhirguard.feature.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad limit settings stop start-up with a message that names the key and its value. */
class RateLimitConfigTest {

  private static String refusal(Map<String, String> settings) {
    return assertThrows(FhirGuardConfigException.class, () -> FhirGuardConfig.load(settings))
        .getMessage();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "fhirguard.rate-limit.capacity, 0",
      "fhirguard.rate-limit.period, 0s",
      "fhirguard.rate-limit.refill, bursty",
      "fhirguard.clients.x.rate-limit.capacity, abc",
      "fhirguard.clients.x.rate-limit.period, 500ms",
      "fhirguard.clients.x.export.max-concurrent, -1",
      "fhirguard.rate-limit.max-clients, 0",
      "fhirguard.rate-limit.export-kickoff-cost, -5",
      "fhirguard.rate-limit.headers, yes",
      "fhirguard.address-limit.capacity, 0",
      "fhirguard.address-limit.period, forever",
      "fhirguard.export.max-concurrent, 1001",
      "fhirguard.export.min-poll-interval, 2h",
      "fhirguard.export.job-ttl, 0s",
      "fhirguard.export.retry-after, 0s"})
  void a_bad_limit_setting_stops_start_up_naming_its_key_and_value(String key, String value) {
    String message = refusal(Map.of(key, value));
    assertTrue(message.contains(key), message);
    assertTrue(message.contains(value), message);
  }

  @Test
  void an_unknown_limit_setting_stops_start_up() {
    String message = refusal(Map.of("fhirguard.rate-limit.burst", "10"));
    assertTrue(message.contains("fhirguard.rate-limit.burst"), message);
    assertTrue(message.contains("unknown fhirguard setting"), message);
  }

  @Test
  void every_bad_limit_setting_is_listed_in_one_message() {
    FhirGuardConfigException e = assertThrows(FhirGuardConfigException.class,
        () -> FhirGuardConfig.load(Map.of(
            "fhirguard.rate-limit.capacity", "0",
            "fhirguard.rate-limit.period", "0s",
            "fhirguard.rate-limit.refill", "bursty",
            "fhirguard.clients.x.rate-limit.capacity", "abc")));
    assertEquals(4, e.problems().size(), e.getMessage());
  }

  @Test
  void good_limit_settings_are_shown_as_given() {
    FhirGuardConfig config = FhirGuardConfig.load(Map.of(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.refill", "interval",
        "fhirguard.clients.nightly-loader.rate-limit.capacity", "5000"));
    assertEquals("interval", config.get("fhirguard.rate-limit.refill"));
    assertEquals("5000", config.get("fhirguard.clients.nightly-loader.rate-limit.capacity"));
  }
}
