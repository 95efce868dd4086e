package dev.fhirguard.client.internal;

import java.time.Duration;

/** Durations in words for log lines and messages: "300 s", "1.5 s", "250 ms". */
public final class Durations {

  private Durations() {}

  public static String words(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
