package dev.fhirguard.internal;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the human message in a non-FHIR error body written by downstream code: the {@code
 * message} (or {@code error_description}, {@code detail}, ...) field of a JSON body, the title of
 * an HTML page, or the first line of plain text. The result is raw; callers sanitize it.
 */
final class BodyMessages {

  private static final Pattern JSON_MESSAGE =
      Pattern.compile(
          "\"(?:message|Message|error_description|detail|title|error)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,2000})\"");
  private static final Pattern HTML_TITLE =
      Pattern.compile("(?is)<title>([^<]{1,500})</title>");
  private static final int MAX_SCANNED = 16 * 1024;

  private BodyMessages() {}

  static String extract(byte[] body, String contentType, Charset charset) {
    if (body.length == 0) {
      return null;
    }
    String text = new String(body, 0, Math.min(body.length, MAX_SCANNED), charset);
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json")) {
      return firstGroup(JSON_MESSAGE.matcher(text));
    }
    if (type.contains("html")) {
      return firstGroup(HTML_TITLE.matcher(text));
    }
    if (type.startsWith("text/plain")) {
      int end = text.indexOf('\n');
      return end < 0 ? text : text.substring(0, end);
    }
    return null;
  }

  private static String firstGroup(Matcher matcher) {
    return matcher.find() ? matcher.group(1).replace("\\\"", "\"") : null;
  }
}
