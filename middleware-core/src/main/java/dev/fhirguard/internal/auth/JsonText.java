package dev.fhirguard.internal.auth;

/** Checks on JSON texts received from outside, before a parser reads them. */
final class JsonText {

  private JsonText() {}

  /**
   * Whether {@code json} can only be a JSON object: its first character after whitespace (RFC
   * 8259) is '{'. Nimbus's JSON reader would also take an array of [name, value] pairs, or
   * {@code null}, for an object.
   */
  static boolean isObject(String json) {
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c == '{';
      }
    }
    return false;
  }
}
