package dev.fhirguard.internal.text;

/**
 * Makes untrusted text safe for a log line or a response (CWE-117): control characters, line
 * breaks and non-ASCII characters are replaced and the length is bounded.
 */
public final class LogSafe {

  private LogSafe() {}

  /**
   * A copy of {@code error} and its causes whose messages are cleaned (CR/LF and other control
   * characters replaced, length bounded), with the original class names and stack traces, so a
   * logged exception cannot forge log lines.
   */
  public static Throwable throwable(Throwable error) {
    return error == null ? null : new Sanitized(error, 0);
  }

  /**
   * A logged stand-in for an exception. Log frameworks print a throwable's own class name, so the
   * original class name leads the message: {@code Sanitized: java.lang.IllegalStateException: ...}.
   */
  private static final class Sanitized extends Throwable {
    Sanitized(Throwable error, int depth) {
      super(
          error.getClass().getName()
              + (error.getMessage() == null ? "" : ": " + clean(error.getMessage(), 2000)),
          error.getCause() != null && error.getCause() != error && depth < 16
              ? new Sanitized(error.getCause(), depth + 1)
              : null,
          false,
          true);
      setStackTrace(error.getStackTrace());
    }
  }

  /**
   * {@code text} with every control or line-separator character replaced by {@code _}; other
   * characters, non-ASCII letters included, are kept. {@code null} stays {@code null}.
   */
  public static String withoutControls(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '_' : c);
    }
    return out.toString();
  }

  /**
   * {@code text} with every character outside printable ASCII replaced by {@code _}, cut to {@code
   * max} characters (with a trailing ellipsis when cut). {@code null} stays {@code null}.
   */
  public static String clean(String text, int max) {
    if (text == null) {
      return null;
    }
    int length = Math.min(text.length(), max);
    if (length == text.length() && isPrintableAscii(text)) {
      return text; // the common case (a path, a catalog message): nothing to copy
    }
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

  private static boolean isPrintableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code text} with the password of a URL in it masked: {@code redis://user:****@host}; a lone
   * user-info part ({@code redis://secret@host}, a password to some clients) is masked whole.
   * Text without {@code ://} and {@code @} stays as it is.
   */
  public static String withoutUrlPassword(String text) {
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      return text;
    }
    int start = scheme + 3;
    int end = start;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    int at = text.lastIndexOf('@', end - 1);
    if (at < start) {
      return text;
    }
    int colon = text.indexOf(':', start);
    String masked = colon < 0 || colon > at ? "****" : text.substring(start, colon) + ":****";
    return text.substring(0, start) + masked + text.substring(at);
  }
}
