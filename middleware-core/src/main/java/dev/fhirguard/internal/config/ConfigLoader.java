package dev.fhirguard.internal.config;

import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.FhirGuardConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings from their sources, lowest precedence first: built-in defaults, {@code
 * fhirguard.properties} on the classpath, the file named by {@code fhirguard.config} (system
 * property) or {@code FHIRGUARD_CONFIG} (environment), {@code FHIRGUARD_*} environment variables,
 * {@code fhirguard.*} system properties, and explicit values (filter init-params or code). Every
 * problem is collected and reported in one {@link FhirGuardConfigException}.
 */
public final class ConfigLoader {

  public static final String CONFIG_FILE_PROPERTY = "fhirguard.config";
  static final String CONFIG_FILE_ENV = "FHIRGUARD_CONFIG";
  static final String CLASSPATH_FILE = "fhirguard.properties";

  /**
   * The service links Kubernetes injects into every pod for each Service in the namespace
   * (docker-link style): a Service named {@code fhirguard} or {@code fhirguard-api} gives {@code
   * FHIRGUARD[_API]_SERVICE_HOST}, {@code _SERVICE_PORT}, {@code _SERVICE_PORT_<port-name>},
   * {@code _PORT} and {@code _PORT_<number>_<TCP|UDP|SCTP>[_PROTO|_PORT|_ADDR]}. They name no
   * setting and are left alone; every other unknown {@code FHIRGUARD_*} variable is a problem.
   */
  private static final java.util.regex.Pattern SERVICE_LINK = java.util.regex.Pattern.compile(
      "FHIRGUARD_(?:[A-Z0-9_]+_)?(?:SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?|PORT"
          + "|PORT_[0-9]+_(?:TCP|UDP|SCTP)(?:_PROTO|_PORT|_ADDR)?)");

  private final Map<String, String> environment;
  private final Properties systemProperties;
  private final ClassLoader classLoader;

  private final Map<String, String> texts = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  public ConfigLoader(
      Map<String, String> environment, Properties systemProperties, ClassLoader classLoader) {
    this.environment = environment;
    this.systemProperties = systemProperties;
    this.classLoader = classLoader;
  }

  /** Loads from the process environment, system properties and the context class loader. */
  public static ResolvedSettings loadStandard(Map<String, String> explicit) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new ConfigLoader(
            System.getenv(), System.getProperties(),
            loader != null ? loader : ConfigLoader.class.getClassLoader())
        .load(explicit);
  }

  public ResolvedSettings load(Map<String, String> explicit) {
    for (Setting<?> setting : Settings.ALL) {
      if (!setting.isTemplate()) {
        put(setting.key(), setting.defaultValue(), "default");
      }
    }
    readClasspathFile();
    readConfigFile();
    readEnvironment();
    readSystemProperties();
    explicit.forEach((key, value) -> putChecked(key, value, "explicit value"));
    return resolve();
  }

  private void readClasspathFile() {
    try (InputStream in = classLoader.getResourceAsStream(CLASSPATH_FILE)) {
      if (in != null) {
        readProperties(in, "classpath:" + CLASSPATH_FILE);
      }
    } catch (IOException e) {
      problems.add("classpath:" + CLASSPATH_FILE + " could not be read: " + e.getMessage());
    }
  }

  private void readConfigFile() {
    String named = systemProperties.getProperty(CONFIG_FILE_PROPERTY);
    String namedBy = "system property " + CONFIG_FILE_PROPERTY;
    if (named == null || named.isBlank()) {
      named = environment.get(CONFIG_FILE_ENV);
      namedBy = "environment " + CONFIG_FILE_ENV;
    }
    if (named == null || named.isBlank()) {
      return;
    }
    try (InputStream in = Files.newInputStream(Path.of(named.trim()))) {
      readProperties(in, "file " + named.trim());
    } catch (IOException | java.nio.file.InvalidPathException e) {
      problems.add(
          namedBy + " = '" + LogSafe.clean(named, 200)
              + "': expected the path of a readable properties file");
    }
  }

  private void readProperties(InputStream in, String source) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      putChecked(key, properties.getProperty(key), source);
    }
  }

  private void readEnvironment() {
    Map<String, String> byEnvironmentName = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      if (!setting.isTemplate()) {
        byEnvironmentName.put(setting.environmentName(), setting.key());
      }
    }
    environment.entrySet().stream()
        .filter(e -> e.getKey().startsWith("FHIRGUARD_") && !e.getKey().equals(CONFIG_FILE_ENV))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String key = byEnvironmentName.get(e.getKey());
              if (key == null && SERVICE_LINK.matcher(e.getKey()).matches()) {
                return; // a Kubernetes service link, not a setting
              }
              if (key == null && isTemplateVariable(e.getKey())) {
                problems.add(
                    "environment variable " + e.getKey() + ": settings with a name part (such as"
                        + " fhirguard.clients.<client-id>.*) cannot be set from the environment,"
                        + " whose variable names cannot keep the name; use a properties file");
              } else if (key == null) {
                problems.add(
                    "environment variable " + e.getKey() + ": unknown fhirguard setting"
                        + suggestion(e.getKey()));
              } else {
                put(key, e.getValue(), "environment " + e.getKey());
              }
            });
  }

  private void readSystemProperties() {
    for (String key : new java.util.TreeSet<>(systemProperties.stringPropertyNames())) {
      if (key.startsWith(Setting.PREFIX) && !key.equals(CONFIG_FILE_PROPERTY)) {
        putChecked(key, systemProperties.getProperty(key), "system property");
      }
    }
  }

  private static boolean isTemplateVariable(String variable) {
    return Settings.ALL.stream()
        .filter(Setting::isTemplate)
        .map(s -> Setting.environmentName(s.key().substring(0, s.key().indexOf('<'))))
        .anyMatch(variable::startsWith);
  }

  private void putChecked(String key, String value, String source) {
    String trimmed = key == null ? "" : key.trim();
    if (Settings.find(trimmed) == null) {
      if (trimmed.startsWith(Setting.PREFIX) || source.equals("explicit value")) {
        problems.add(LogSafe.clean(trimmed, 200) + " (from " + source + "): unknown fhirguard setting"
            + suggestion(trimmed));
      }
      return;
    }
    put(trimmed, value, source);
  }

  private void put(String key, String value, String source) {
    texts.put(key, value == null ? "" : value);
    sources.put(key, source);
  }

  private ResolvedSettings resolve() {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    Map<Setting<?>, Map<String, Object>> named = new LinkedHashMap<>();
    Map<String, String> resolvedTexts = new LinkedHashMap<>();
    Map<String, String> resolvedSources = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      if (!setting.isTemplate()) {
        parseInto(setting, setting.key(), values::put, resolvedTexts, resolvedSources);
      }
    }
    for (Setting<?> setting : Settings.ALL) {
      if (setting.isTemplate()) {
        Map<String, Object> byName = new LinkedHashMap<>();
        new java.util.TreeSet<>(texts.keySet()).stream()
            .filter(key -> setting.nameIn(key) != null)
            .forEach(key -> parseInto(setting, key,
                (s, value) -> byName.put(setting.nameIn(key), value),
                resolvedTexts, resolvedSources));
        named.put(setting, byName);
      }
    }
    problems.addAll(ConfigRules.check(values, named));
    List<String> verifierProblems = ConfigRules.checkVerifier(values);
    if (!problems.isEmpty()) {
      problems.addAll(verifierProblems);
      throw new FhirGuardConfigException(problems);
    }
    return new ResolvedSettings(values, named, resolvedTexts, resolvedSources, verifierProblems);
  }

  private void parseInto(
      Setting<?> setting,
      String key,
      java.util.function.BiConsumer<Setting<?>, Object> sink,
      Map<String, String> resolvedTexts,
      Map<String, String> resolvedSources) {
    String text = texts.get(key);
    String source = sources.get(key);
    String shown = text;
    try {
      Object value = setting.parse(text);
      sink.accept(setting, value);
      shown = setting.format(value);
    } catch (IllegalArgumentException e) {
      problems.add(
          key + " = '" + LogSafe.clean(ResolvedSettings.mask(setting, text), 80)
              + "' (from " + source + "): " + e.getMessage());
    }
    resolvedTexts.put(key, shown);
    resolvedSources.put(key, source);
  }

  private static String suggestion(String given) {
    String normalized = given.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting<?> setting : Settings.ALL) {
      String candidate = setting.key().replace('-', '.');
      int distance = distance(normalized, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = setting.key();
      }
    }
    return bestDistance <= 4 ? " (did you mean " + best + "?)" : "";
  }

  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 4 || a.length() > 200) {
      return Integer.MAX_VALUE;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
