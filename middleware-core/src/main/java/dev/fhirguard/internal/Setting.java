package dev.fhirguard.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One configuration property: its key, how its text is parsed, its default and its documentation.
 * A parser returns the typed value or throws {@link IllegalArgumentException} whose message says
 * what was expected.
 */
public record Setting<T>(
    String key,
    String type,
    String defaultValue,
    String description,
    boolean secret,
    Function<String, T> parser) {

  public static final String PREFIX = "fhirguard.";

  public T parse(String text) {
    return parser.apply(text.trim());
  }

  /** The environment variable for this key: {@code fhirguard.a-b.c} is {@code FHIRGUARD_A_B_C}. */
  public String environmentName() {
    return environmentName(key);
  }

  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
    return new Setting<>(
        key, "boolean", String.valueOf(defaultValue), description, false, Setting::parseBoolean);
  }

  static Setting<Integer> integer(
      String key, int defaultValue, int min, int max, String description) {
    return new Setting<>(
        key,
        "integer " + min + ".." + max,
        String.valueOf(defaultValue),
        description,
        false,
        text -> parseInteger(text, min, max));
  }

  static Setting<String> text(
      String key, String defaultValue, String regex, String expected, String description) {
    Pattern pattern = Pattern.compile(regex);
    return new Setting<>(
        key,
        "string",
        defaultValue,
        description,
        false,
        text -> {
          if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("expected " + expected);
          }
          return text;
        });
  }

  static Setting<URI> absoluteUri(String key, String defaultValue, String description) {
    return new Setting<>(key, "URI", defaultValue, description, false, Setting::parseAbsoluteUri);
  }

  static Setting<String> oneOf(
      String key, String defaultValue, List<String> values, String description) {
    return new Setting<>(
        key,
        "one of " + String.join(", ", values),
        defaultValue,
        description,
        false,
        text -> {
          String upper = text.toUpperCase(Locale.ROOT);
          if (!values.contains(upper)) {
            throw new IllegalArgumentException("expected one of " + String.join(", ", values));
          }
          return upper;
        });
  }

  private static Boolean parseBoolean(String text) {
    if ("true".equalsIgnoreCase(text)) {
      return Boolean.TRUE;
    }
    if ("false".equalsIgnoreCase(text)) {
      return Boolean.FALSE;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  private static Integer parseInteger(String text, int min, int max) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
    }
    return value;
  }

  private static URI parseAbsoluteUri(String text) {
    try {
      URI uri = new URI(text);
      if (uri.isAbsolute()) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected an absolute URI such as https://example.org/x");
  }
}
