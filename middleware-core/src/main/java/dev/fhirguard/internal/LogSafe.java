package dev.fhirguard.internal;

/**
 * Makes untrusted text safe for a log line or a response (CWE-117): control characters, line
 * breaks and non-ASCII characters are replaced and the length is bounded.
 */
public final class LogSafe {

  private LogSafe() {}

  /**
   * {@code text} with every character outside printable ASCII replaced by {@code _}, cut to {@code
   * max} characters (with a trailing ellipsis when cut). {@code null} stays {@code null}.
   */
  public static String clean(String text, int max) {
    if (text == null) {
      return null;
    }
    int length = Math.min(text.length(), max);
    StringBuilder out = new StringBuilder(length + 3);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '_');
    }
    if (text.length() > max) {
      out.append("...");
    }
    return out.toString();
  }
}
