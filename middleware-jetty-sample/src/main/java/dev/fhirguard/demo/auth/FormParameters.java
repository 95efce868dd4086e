package dev.fhirguard.demo.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameters of an {@code application/x-www-form-urlencoded} body. A parameter sent twice is
 * refused; one sent without a value counts as omitted (RFC 6749 section 3.1).
 */
final class FormParameters {

  private final Map<String, String> values;

  private FormParameters(Map<String, String> values) {
    this.values = values;
  }

  static FormParameters parse(String body) throws OAuthException {
    Map<String, String> values = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (values.putIfAbsent(name, value) != null) {
        throw OAuthException.invalidRequest("Parameter '" + Printable.text(name, 40)
            + "' is sent more than once; send each parameter once.");
      }
    }
    return new FormParameters(values);
  }

  /** The value of {@code name}, or {@code null} when absent or empty. */
  String get(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static String decode(String text) throws OAuthException {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidRequest(
          "The body is not valid application/x-www-form-urlencoded: a '%' is not followed by two"
              + " hex digits. Percent-encode the parameter values.");
    }
  }
}
