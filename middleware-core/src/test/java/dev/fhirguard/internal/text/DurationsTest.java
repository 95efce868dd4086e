package dev.fhirguard.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  private static final Duration MIN = Duration.ZERO;
  private static final Duration MAX = Duration.ofDays(2);

  @ParameterizedTest
  @CsvSource({
    "500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "PT30S, 30000",
    "pt1m30s, 90000", "0s, 0", "  45S , 45000"
  })
  void a_number_with_a_unit_or_iso_8601_is_a_duration(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text.trim(), MIN, MAX));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "s", "30", "30 s", "5 minutes", "1.5s", "-1s", "3w", "PT", "P1Y", "9999999999999s", "3d",
    "1m1s"
  })
  void anything_else_is_refused_with_the_expected_form(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text, MIN, MAX));
    assertEquals("expected a duration from 0s to 2d such as 500ms, 30s, 5m, 2h or PT30S",
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"90000, 90s", "60000, 1m", "250, 250ms", "7200000, 2h", "86400000, 1d", "0, 0s"})
  void a_duration_is_shown_in_its_shortest_exact_unit(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
  }
}
