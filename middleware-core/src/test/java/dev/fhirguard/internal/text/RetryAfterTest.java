package dev.fhirguard.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a server's {@code Retry-After}: delta-seconds or an HTTP-date. */
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.250Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "120 | PT2M",
      "' 0 ' | PT0S",
      "Thu, 01 Jan 2026 00:01:00 GMT | PT59.75S",
      "Wed, 31 Dec 2025 23:00:00 GMT | PT0S",
      "99999999999999999999 | PT596523H14M8S",
  })
  void a_delay_or_a_date_is_a_wait_from_now(String value, Duration wait) {
    assertEquals(wait, RetryAfter.parse(value, NOW));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", " ", "-1", "1.5", "2 s", "tomorrow", "2026-01-01T00:01:00Z"})
  void anything_else_is_no_wait_at_all(String value) {
    assertNull(RetryAfter.parse(value, NOW));
  }
}
