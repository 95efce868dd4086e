package dev.fhirguard.sample.auth;

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

  private static boolean isPrintable(char c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.FORMAT
        && type != Character.SURROGATE;
  }
}
