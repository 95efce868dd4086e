package dev.fhirguard.internal.config;

import dev.fhirguard.internal.text.ByteSizes;
import dev.fhirguard.internal.text.Durations;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One configuration property: its key, how its text is parsed and shown, its default and its
 * documentation. A parser returns the typed value or throws {@link IllegalArgumentException} whose
 * message says what was expected.
 *
 * <p>A key with a {@code <name>} part ({@code fhirguard.clients.<client-id>.allowed-addresses}) is
 * a template: it stands for one setting per name and has no default.
 */
public record Setting<T>(
    String key,
    String type,
    String defaultValue,
    String description,
    boolean secret,
    Function<String, T> parser,
    Function<T, String> formatter) {

  public static final String PREFIX = "fhirguard.";

  private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9_~:@.-]{1,128}");

  public T parse(String text) {
    return parser.apply(text.trim());
  }

  /** The canonical text of a value parsed by this setting. */
  @SuppressWarnings("unchecked")
  public String format(Object value) {
    return formatter.apply((T) value);
  }

  /** Whether the key has a {@code <name>} part standing for many settings. */
  public boolean isTemplate() {
    return key.indexOf('<') >= 0;
  }

  /** The name a concrete key gives this template, or {@code null} when it does not match. */
  public String nameIn(String concreteKey) {
    int open = key.indexOf('<');
    int close = key.indexOf('>');
    if (open < 0 || close < open) {
      return null;
    }
    String head = key.substring(0, open);
    String tail = key.substring(close + 1);
    if (concreteKey.length() <= head.length() + tail.length()
        || !concreteKey.startsWith(head) || !concreteKey.endsWith(tail)) {
      return null;
    }
    String name = concreteKey.substring(head.length(), concreteKey.length() - tail.length());
    return TEMPLATE_NAME.matcher(name).matches() ? name : null;
  }

  /** The environment variable for this key: {@code fhirguard.a-b.c} is {@code FHIRGUARD_A_B_C}. */
  public String environmentName() {
    return environmentName(key);
  }

  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  // ---- factories, one per type

  static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
    return of(key, "boolean", String.valueOf(defaultValue), description, Setting::parseBoolean);
  }

  static Setting<Integer> integer(
      String key, int defaultValue, int min, int max, String description) {
    return of(key, "integer " + min + ".." + max, String.valueOf(defaultValue), description,
        text -> parseInteger(text, min, max));
  }

  static Setting<String> text(
      String key, String defaultValue, String regex, String expected, String description) {
    Pattern pattern = Pattern.compile(regex);
    return of(key, "string", defaultValue, description, text -> matching(text, pattern, expected));
  }

  static Setting<URI> absoluteUri(String key, String defaultValue, String description) {
    return of(key, "URI", defaultValue, description, Setting::parseAbsoluteUri);
  }

  static Setting<String> oneOf(
      String key, String defaultValue, List<String> values, String description) {
    return of(key, "one of " + String.join(", ", values), defaultValue, description,
        text -> values.stream()
            .filter(value -> value.equalsIgnoreCase(text))
            .findFirst()
            .orElseThrow(() ->
                new IllegalArgumentException("expected one of " + String.join(", ", values))));
  }

  /**
   * A duration written as a whole number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
   * {@code 2h}, {@code 1d}) or in ISO-8601 ({@code PT30S}).
   */
  static Setting<Duration> duration(
      String key, String defaultValue, Duration min, Duration max, String description) {
    return new Setting<>(key, "duration " + Durations.format(min) + ".." + Durations.format(max),
        defaultValue, description, false, text -> Durations.parse(text, min, max),
        Durations::format);
  }

  /** A size in bytes: a whole number with an optional unit, {@code 512KiB}, {@code 16MiB}. */
  static Setting<Long> byteSize(
      String key, String defaultValue, long min, long max, String description) {
    return new Setting<>(key, "size " + ByteSizes.format(min) + ".." + ByteSizes.format(max),
        defaultValue, description, false, text -> ByteSizes.parse(text, min, max),
        ByteSizes::format);
  }

  /**
   * A list separated by commas or whitespace; each element is checked (and may be normalized) by
   * {@code element}, which throws {@link IllegalArgumentException} naming what it expected.
   */
  static Setting<List<String>> list(
      String key, String defaultValue, UnaryOperator<String> element, String description) {
    return new Setting<>(key, "list", defaultValue, description, false,
        text -> parseList(text, element), values -> String.join(", ", values));
  }

  /** A text that may be left empty; when given it must match {@code regex}. */
  static Setting<Optional<String>> optionalText(
      String key, String regex, String expected, String description) {
    Pattern pattern = Pattern.compile(regex);
    return optional(key, "string", description, false, text -> matching(text, pattern, expected));
  }

  /** An http(s) URL that may be left empty. */
  static Setting<Optional<URI>> optionalUrl(String key, String description) {
    return optional(key, "URL", description, false, Setting::parseHttpUrl);
  }

  /** The path of a readable file that may be left empty. */
  static Setting<Optional<Path>> optionalFile(String key, String description) {
    return optional(key, "file", description, false, Setting::parseReadableFile);
  }

  /** A secret that may be left empty; it is masked wherever the configuration is shown. */
  static Setting<Optional<String>> secret(String key, int minLength, String description) {
    return optional(key, "secret", description, true, text -> {
      if (text.length() < minLength) {
        throw new IllegalArgumentException("expected at least " + minLength + " characters");
      }
      return text;
    });
  }

  /**
   * A per-name override ({@code key}, a template) of the setting {@code general}: same type, no
   * default; where it is not set, {@code general} applies.
   */
  static <T> Setting<T> overrideOf(String key, Setting<T> general, String whose) {
    return new Setting<>(key, general.type(), "", whose + " " + general.key() + ".", false,
        general.parser(), general.formatter());
  }

  private static <T> Setting<Optional<T>> optional(
      String key, String type, String description, boolean secret, Function<String, T> parser) {
    return new Setting<>(key, type, "", description, secret,
        text -> text.isEmpty() ? Optional.empty() : Optional.of(parser.apply(text)),
        value -> value.map(String::valueOf).orElse(""));
  }

  private static <T> Setting<T> of(
      String key, String type, String defaultValue, String description, Function<String, T> parser) {
    return new Setting<>(key, type, defaultValue, description, false, parser, String::valueOf);
  }

  // ---- parsers

  private static String matching(String text, Pattern pattern, String expected) {
    if (!pattern.matcher(text).matches()) {
      throw new IllegalArgumentException("expected " + expected);
    }
    return text;
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
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
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

  private static URI parseHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected an http or https URL such as https://example.org/x");
  }

  private static Path parseReadableFile(String text) {
    try {
      Path path = Path.of(text);
      if (Files.isRegularFile(path) && Files.isReadable(path)) {
        return path;
      }
    } catch (InvalidPathException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected the path of a readable file");
  }

  private static List<String> parseList(String text, UnaryOperator<String> element) {
    List<String> values = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        values.add(element.apply(part));
      }
    }
    return List.copyOf(values);
  }
}
