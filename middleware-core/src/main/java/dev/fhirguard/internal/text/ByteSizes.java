package dev.fhirguard.internal.text;

import java.util.Locale;

/**
 * Sizes in properties: a whole number of bytes with an optional unit, {@code 512KiB}, {@code
 * 16MiB}, {@code 1GiB}. {@code KB}, {@code MB} and {@code GB} are the same binary units, as in
 * Spring Boot's {@code DataSize} and the JVM's {@code -Xmx16m}; units are case-insensitive.
 */
public final class ByteSizes {

  private static final long KIB = 1024;
  private static final long MIB = KIB * 1024;
  private static final long GIB = MIB * 1024;

  private ByteSizes() {}

  public static long parse(String text, long min, long max) {
    long value = parseUnchecked(text.toLowerCase(Locale.ROOT));
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected a size from " + format(min) + " to "
          + format(max) + " such as 0, 512KiB, 16MiB or 1GiB");
    }
    return value;
  }

  /** The bytes {@code text} stands for, or -1 when it is not a size. */
  private static long parseUnchecked(String text) {
    int digits = 0;
    while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      digits++;
    }
    if (digits == 0 || digits > 12) {
      return -1;
    }
    long amount = Long.parseLong(text.substring(0, digits));
    long unit = switch (text.substring(digits)) {
      case "", "b" -> 1;
      case "kib", "kb" -> KIB;
      case "mib", "mb" -> MIB;
      case "gib", "gb" -> GIB;
      default -> -1;
    };
    if (unit < 0 || amount > Long.MAX_VALUE / unit) {
      return -1;
    }
    return amount * unit;
  }

  /** The shortest exact form: {@code 16MiB}, {@code 1536KiB}, {@code 100B}, {@code 0}. */
  public static String format(long bytes) {
    if (bytes == 0) {
      return "0";
    }
    for (long unit : new long[] {GIB, MIB, KIB}) {
      if (bytes % unit == 0) {
        return bytes / unit + (unit == GIB ? "GiB" : unit == MIB ? "MiB" : "KiB");
      }
    }
    return bytes + "B";
  }
}
