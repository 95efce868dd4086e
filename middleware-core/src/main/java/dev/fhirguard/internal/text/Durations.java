package dev.fhirguard.internal.text;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations in properties: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
public final class Durations {

  private Durations() {}

  public static Duration parse(String text, Duration min, Duration max) {
    Duration value = parseUnchecked(text.toLowerCase(Locale.ROOT));
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "expected a duration from " + format(min) + " to " + format(max)
              + " such as 500ms, 30s, 5m, 2h or PT30S");
    }
    return value;
  }

  private static Duration parseUnchecked(String text) {
    if (text.startsWith("p")) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    int digits = 0;
    while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      digits++;
    }
    if (digits == 0 || digits > 12) {
      return null;
    }
    long amount = Long.parseLong(text.substring(0, digits));
    return switch (text.substring(digits)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> null;
    };
  }

  /** The shortest exact form: {@code 90s}, {@code 5m}, {@code 250ms}. */
  public static String format(Duration value) {
    long millis = value.toMillis();
    if (millis % 86_400_000 == 0 && millis != 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
