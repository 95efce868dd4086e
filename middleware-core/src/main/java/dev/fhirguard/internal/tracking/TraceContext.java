package dev.fhirguard.internal.tracking;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/), read strictly:
 * {@code <version>-<trace-id>-<parent-id>-<flags>} in lower-case hex (2, 32, 16 and 2 digits);
 * version {@code ff}, an all-zero trace id or parent id, upper-case hex, a version-00 header of
 * any length but 55 and a later version whose 56th character is not {@code -} are invalid.
 * Leading and trailing spaces and tabs (HTTP's optional whitespace) are allowed. An invalid header
 * is treated as absent: it is never echoed, logged or forwarded.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param parentId the caller's span: 16 lower-case hex digits, not all zero
 * @param flags 2 lower-case hex digits ({@code 01}: sampled)
 */
public record TraceContext(String traceId, String parentId, String flags) {

  public static final String HEADER = "traceparent";

  /** The length of a version-00 header. */
  private static final int LENGTH = 55;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The trace context in {@code header}, or {@code null} when it is absent or invalid. */
  public static TraceContext parse(String header) {
    if (header == null) {
      return null;
    }
    int start = 0;
    int end = header.length();
    while (start < end && isWhitespace(header.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(header.charAt(end - 1))) {
      end--;
    }
    if (end - start < LENGTH || !isHex(header, start, 2)
        || header.charAt(start) == 'f' && header.charAt(start + 1) == 'f') {
      return null;
    }
    boolean version00 = header.charAt(start) == '0' && header.charAt(start + 1) == '0';
    if (version00 ? end - start != LENGTH
        : end - start > LENGTH && header.charAt(start + LENGTH) != '-') {
      return null;
    }
    if (header.charAt(start + 2) != '-' || header.charAt(start + 35) != '-'
        || header.charAt(start + 52) != '-' || !isHex(header, start + 3, 32)
        || !isHex(header, start + 36, 16) || !isHex(header, start + 53, 2)
        || isZero(header, start + 3, 32) || isZero(header, start + 36, 16)) {
      return null;
    }
    String flags = header.substring(start + 53, start + 55);
    return new TraceContext(header.substring(start + 3, start + 35),
        header.substring(start + 36, start + 52),
        version00 ? flags : sampledOnly(flags)); // later versions: only the flag version 00 knows
  }

  /** A new trace: random ids from {@link ThreadLocalRandom} (fast; they need not be secret). */
  public static TraceContext start() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new TraceContext(
        hex(nonZero(random), 16) + hex(random.nextLong(), 16), hex(nonZero(random), 16), "01");
  }

  /** This context as a version-00 {@code traceparent} value. */
  public String header() {
    return "00-" + traceId + '-' + parentId + '-' + flags;
  }

  private static String sampledOnly(String flags) {
    return (Character.digit(flags.charAt(1), 16) & 1) == 1 ? "01" : "00";
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isHex(String text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (text.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static long nonZero(ThreadLocalRandom random) {
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }

  private static String hex(long value, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
    return new String(out);
  }
}
