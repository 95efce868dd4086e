package dev.fhirguard.client.internal;

/**
 * Values from a server or a URL, made safe for a log line or an exception message (CWE-117): no
 * control characters, no line breaks, bounded length. A request is named by its method and path,
 * never its query string (search parameters can be personal data).
 */
public final class LogText {

  private static final int MAX_VALUE = 128;
  private static final int MAX_PATH = 200;

  private LogText() {}

  /** {@code value} with control and non-ASCII characters as '?', cut to 128 characters. */
  public static String safe(String value) {
    return safe(value, MAX_VALUE);
  }

  /** "GET /fhir/Patient/1": the method and the path of {@code uri}, without its query. */
  public static String request(String method, String uri) {
    String target = uri == null ? "" : uri;
    int query = target.indexOf('?');
    if (query >= 0) {
      target = target.substring(0, query);
    }
    int scheme = target.indexOf("://");
    if (scheme >= 0) {
      int path = target.indexOf('/', scheme + 3);
      target = path >= 0 ? target.substring(path) : "/";
    }
    return safe(method, 16) + " " + safe(target, MAX_PATH);
  }

  private static String safe(String value, int max) {
    if (value == null) {
      return "";
    }
    StringBuilder clean = new StringBuilder(Math.min(value.length(), max + 3));
    for (int i = 0; i < value.length() && i < max; i++) {
      char c = value.charAt(i);
      clean.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return value.length() > max ? clean.append("...").toString() : clean.toString();
  }
}
