package dev.fhirguard.internal.outcome;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the human message in a non-FHIR error body written by downstream code: the {@code
 * message} (or {@code error_description}, {@code detail}, ...) field of a JSON body, the title of
 * an HTML page, or the first line of plain text. Linear in the (bounded) body; the result is raw
 * and callers sanitize it.
 */
public final class BodyMessages {

  private static final List<String> JSON_FIELDS =
      List.of("message", "Message", "error_description", "detail", "title", "error");
  private static final Pattern HTML_TITLE = Pattern.compile("(?i)<title>([^<]{1,500}+)</title>");
  private static final int MAX_SCANNED = 16 * 1024;
  private static final int MAX_MESSAGE = 2000;

  private BodyMessages() {}

  public static String extract(byte[] body, String contentType, Charset charset) {
    if (body.length == 0) {
      return null;
    }
    String text = new String(body, 0, Math.min(body.length, MAX_SCANNED), charset);
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json")) {
      return jsonMessage(text);
    }
    if (type.contains("html")) {
      Matcher title = HTML_TITLE.matcher(text);
      return title.find() ? title.group(1) : null;
    }
    if (type.startsWith("text/plain")) {
      int end = text.indexOf('\n');
      return end < 0 ? text : text.substring(0, end);
    }
    return null;
  }

  /** The string value of the first known message field, in field-preference order. */
  private static String jsonMessage(String json) {
    for (String field : JSON_FIELDS) {
      String value = stringField(json, "\"" + field + "\"");
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String stringField(String json, String quotedName) {
    for (int at = json.indexOf(quotedName); at >= 0; at = json.indexOf(quotedName, at + 1)) {
      int i = skipSpaces(json, at + quotedName.length());
      if (i < json.length() && json.charAt(i) == ':') {
        i = skipSpaces(json, i + 1);
        if (i < json.length() && json.charAt(i) == '"') {
          return stringAt(json, i + 1);
        }
      }
    }
    return null;
  }

  /** The JSON string starting after its opening quote, unescaped simply, at most 2000 chars. */
  private static String stringAt(String json, int start) {
    StringBuilder value = new StringBuilder();
    for (int i = start; i < json.length() && value.length() < MAX_MESSAGE; i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return value.toString();
      }
      if (c == '\\' && i + 1 < json.length()) {
        char escaped = json.charAt(++i);
        value.append(escaped == 'n' || escaped == 'r' || escaped == 't' ? ' ' : escaped);
      } else {
        value.append(c);
      }
    }
    return value.toString();
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
