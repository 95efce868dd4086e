package dev.fhirguard.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterHeaderTest {

  /** A Sunday: 1994-11-06T08:49:37Z is RFC 9110's example date. */
  private static final Instant NOW = Instant.parse("1994-11-06T08:49:07Z");

  private static Optional<Duration> parse(String value) {
    return RetryAfterHeader.parse(value, NOW);
  }

  @Test
  void delta_seconds_are_the_wait() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), parse("120"));
    assertEquals(Optional.of(Duration.ZERO), parse("0"));
    assertEquals(Optional.of(Duration.ofSeconds(7)), parse("007"));
  }

  @Test
  void surrounding_whitespace_is_ignored() {
    assertEquals(Optional.of(Duration.ofSeconds(5)), parse(" 5\t"));
  }

  @Test
  void an_imf_fixdate_is_the_time_until_then() {
    assertEquals(Optional.of(Duration.ofSeconds(30)), parse("Sun, 06 Nov 1994 08:49:37 GMT"));
  }

  @Test
  void the_obsolete_rfc_850_and_asctime_dates_are_accepted_too() {
    assertEquals(Optional.of(Duration.ofSeconds(30)), parse("Sunday, 06-Nov-94 08:49:37 GMT"));
    assertEquals(Optional.of(Duration.ofSeconds(30)), parse("Sun Nov  6 08:49:37 1994"));
  }

  @Test
  void a_date_in_the_past_is_no_wait() {
    assertEquals(Optional.of(Duration.ZERO), parse("Sun, 06 Nov 1994 08:00:00 GMT"));
  }

  @Test
  void a_huge_delta_is_capped_at_2_to_the_31_seconds_never_an_overflow() {
    Duration cap = Duration.ofSeconds(2_147_483_648L);
    assertEquals(Optional.of(cap), parse("2147483648"));
    assertEquals(Optional.of(cap), parse("9223372036854775808"));
    assertEquals(Optional.of(cap), parse("99999999999999999999999999999999999999"));
    assertEquals(Optional.of(Duration.ofSeconds(2_147_483_647L)), parse("2147483647"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-1", "-120", "+5", "1.5", "1e3", "5s", "soon", "0x10",
      "Sun, 06 Nov 1994 08:49:37", "Mon, 06 Nov 1994 08:49:37 GMT", "2026-01-01T00:00:00Z",
      "Sun, 32 Nov 1994 08:49:37 GMT", "120\r\nSet-Cookie: x=1", "١٢٠"})
  void anything_else_is_no_value(String value) {
    assertEquals(Optional.empty(), parse(value));
  }

  @Test
  void an_absent_header_or_an_absurdly_long_one_is_no_value() {
    assertEquals(Optional.empty(), parse(null));
    assertEquals(Optional.empty(), parse("1".repeat(65)));
  }
}
