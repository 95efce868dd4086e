package dev.fhirguard.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} value (RFC 9110 section 10.2.3): delta-seconds ({@code 1*DIGIT}) or
 * an HTTP-date in any of the three formats a recipient must accept (IMF-fixdate, RFC 850,
 * asctime). A date in the past is a wait of zero; anything else (negative, fractional, empty,
 * garbage) is no value at all. A delta larger than 2^31 seconds counts as 2^31 (RFC 9111 section
 * 1.2.2), so a huge value is a very long wait, never an overflow.
 */
public final class RetryAfterHeader {

  public static final String NAME = "Retry-After";

  static final long MAX_SECONDS = 2_147_483_648L;

  private static final int MAX_LENGTH = 64;

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

  private RetryAfterHeader() {}

  /** The wait {@code value} asks for, measured from {@code now}; empty when it is not valid. */
  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String trimmed = value.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    if (isDigits(trimmed)) {
      return Optional.of(Duration.ofSeconds(seconds(trimmed)));
    }
    return date(trimmed, now).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static long seconds(String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      return MAX_SECONDS;
    }
    return Math.min(Long.parseLong(significant), MAX_SECONDS);
  }

  private static Optional<Instant> date(String text, Instant now) {
    for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
      try {
        return Optional.of(LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        // Try the next format.
      }
    }
    return Optional.empty();
  }

  /**
   * RFC 850 dates ("Sunday, 06-Nov-94 08:49:37 GMT"): a two-digit year more than 50 years ahead
   * of {@code now} is in the past century (RFC 9110 section 5.6.7).
   */
  private static DateTimeFormatter rfc850(Instant now) {
    int year = now.atZone(ZoneOffset.UTC).getYear();
    return new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, year - 49)
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US);
  }
}
