package dev.fhirguard.internal.text;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * {@code Retry-After} values: whole seconds, rounded up, at least 1, at most 2^31 (what RFC 9111
 * section 1.2.2 tells a recipient to assume for a larger delta-seconds; no overflow either way).
 */
public final class RetryAfter {

  public static final String HEADER = "Retry-After";

  static final long MAX_SECONDS = 2_147_483_648L;

  private RetryAfter() {}

  /** The whole seconds to send for {@code wait}. */
  public static long seconds(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return 1;
    }
    long seconds = wait.getSeconds();
    if (seconds >= MAX_SECONDS) {
      return MAX_SECONDS;
    }
    return Math.max(1, wait.getNano() > 0 ? seconds + 1 : seconds);
  }

  /**
   * "{@code reason} Please retry after N seconds.", N the whole seconds of {@code Retry-After}:
   * the text of every refusal that tells when to come back (HAPI's client exceptions carry no
   * response headers, so the text is all its users see).
   */
  public static String sentence(String reason, Duration wait) {
    return reason + " Please retry after " + describe(seconds(wait)) + ".";
  }

  /** {@code seconds} in words for a diagnostics text: "1 second", "60 seconds". */
  public static String describe(long seconds) {
    return seconds == 1 ? "1 second" : seconds + " seconds";
  }

  /**
   * The wait a {@code Retry-After} value asks for, counted from {@code now}: delta-seconds or an
   * HTTP-date (RFC 9110 section 10.2.3); a date already past is no wait. {@code null} when the
   * value is absent or neither.
   */
  public static Duration parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return text.length() > 10 ? Duration.ofSeconds(MAX_SECONDS)
          : Duration.ofSeconds(Math.min(Long.parseLong(text), MAX_SECONDS));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
