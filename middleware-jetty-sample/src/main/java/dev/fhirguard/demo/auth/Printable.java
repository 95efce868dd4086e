package dev.fhirguard.demo.auth;

/** Makes caller-supplied values safe to put into a log line or an error description. */
final class Printable {

  static final int CLIENT_ID_LENGTH = 64;

  private Printable() {}

  /** {@code value} without control, line-separator or format characters, cut to 64 chars. */
  static String clientId(String value) {
    return text(value, CLIENT_ID_LENGTH);
  }

  /** {@code value} without control, line-separator or format characters, cut to {@code max}. */
  static String text(String value, int max) {
    if (value == null) {
      return "-";
    }
    StringBuilder kept = new StringBuilder(Math.min(value.length(), max));
    for (int i = 0; i < value.length() && kept.length() < max; i++) {
      char c = value.charAt(i);
      if (isPrintable(c)) {
        kept.append(c);
      }
    }
    boolean cut = kept.length() == max && value.length() > max;
    return cut ? kept.append("...").toString() : kept.toString();
  }

  /**
   * {@code description} in the characters RFC 6749 section 5.2 allows in {@code
   * error_description} (printable ASCII but '"' and '\'); any other character becomes '?'.
   */
  static String errorDescription(String description) {
    StringBuilder kept = new StringBuilder(description.length());
    for (int i = 0; i < description.length(); i++) {
      char c = description.charAt(i);
      kept.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
    }
    return kept.toString();
  }

  private static boolean isPrintable(char c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.FORMAT
        && type != Character.SURROGATE;
  }
}
