package dev.fhirguard.internal.export;

import dev.fhirguard.internal.chain.RequestPath;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Status URLs in canonical form, the one way the export limits compare them: the decoded path
 * (dot segments and path parameters gone, as the container routes it) and the decoded query
 * parameters in a fixed order, without {@code _format} and {@code _pretty} (which only shape the
 * answer; HAPI's generic client adds {@code _format} to every URL it fetches). The host is left
 * out: it may differ behind a proxy. {@code /fhir/%24export-poll-status?_format=json&_jobId=1}
 * and {@code /fhir/$export-poll-status?_jobId=1} are one status URL; {@code ?_jobId=1&x=1} is
 * another.
 */
final class StatusUrls {

  /** Parameters that change how an answer is written, not which job it is about. */
  private static final Set<String> FORMAT_PARAMETERS = Set.of("_format", "_pretty");

  private StatusUrls() {}

  /** The status key of a request: the path the container routes and its query. */
  static String of(HttpServletRequest request) {
    return canonical(decode(request.getContextPath(), false) + RequestPath.of(request),
        request.getQueryString());
  }

  /**
   * The status key of a kick-off's {@code Content-Location}, resolved against the request URL;
   * {@code null} when there is none or it is not a URL.
   */
  static String ofLocation(HttpServletRequest request, String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    try {
      URI resolved = new URI(request.getRequestURL().toString()).resolve(location.trim())
          .normalize();
      String path = resolved.getRawPath();
      if (path == null || path.isEmpty()) {
        return null;
      }
      return canonical(decode(withoutPathParameters(path), false), resolved.getRawQuery());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The canonical form of a decoded path and a raw query: the path, then the query's parameters
   * (decoded, {@code _format} and {@code _pretty} dropped) sorted and encoded again.
   */
  static String canonical(String path, String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return path;
    }
    List<String> parameters = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
      if (!FORMAT_PARAMETERS.contains(name)) {
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
        parameters.add(encode(name) + '=' + encode(value));
      }
    }
    if (parameters.isEmpty()) {
      return path;
    }
    parameters.sort(null);
    return path + '?' + String.join("&", parameters);
  }

  /** Drops the {@code ;parameters} of each path segment, as a servlet container does. */
  private static String withoutPathParameters(String path) {
    if (path.indexOf(';') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      int semicolon = segment.indexOf(';');
      out.append(semicolon < 0 ? segment : segment.substring(0, semicolon)).append('/');
    }
    return out.substring(0, out.length() - 1);
  }

  /**
   * Percent-decodes {@code text} as UTF-8, and {@code +} as a space in a query; a broken escape
   * is kept as written (a container refuses such a request before any filter sees it).
   */
  static String decode(String text, boolean query) {
    if (text.indexOf('%') < 0 && (!query || text.indexOf('+') < 0)) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (c == '%' && low >= 0) {
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+' && query) {
        bytes.write(' ');
      } else {
        int codePoint = text.codePointAt(i);
        byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Encodes a decoded name or value so that {@code =} and {@code &} stay unambiguous. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
