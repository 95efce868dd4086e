package dev.fhirguard.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirguard.FhirGuardConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration sources, their precedence and strictness, exercised through {@link
 * ConfigLoader} with an explicit environment, system properties and class loader (nothing is read
 * from the real process).
 */
class ConfigLoaderTest {

  private static final String LENGTH = "fhirguard.outcome.max-diagnostics-length";
  private static final String LENGTH_ENV = "FHIRGUARD_OUTCOME_MAX_DIAGNOSTICS_LENGTH";

  @TempDir Path temp;

  // ---- helpers

  /** A class loader that sees nothing but {@code fhirguard.properties} with these lines (or none). */
  private ClassLoader classpath(String... lines) {
    try {
      Path dir = Files.createTempDirectory(temp, "classpath");
      if (lines.length > 0) {
        Files.writeString(dir.resolve("fhirguard.properties"), String.join("\n", lines) + "\n",
            StandardCharsets.UTF_8);
      }
      return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path propertiesFile(String... lines) {
    try {
      Path file = Files.createTempFile(temp, "fhirguard", ".properties");
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties properties(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  private static Map<String, String> map(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  /** The source label of {@code key} in {@link ResolvedSettings#describe()}. */
  private static String sourceOf(ResolvedSettings settings, String key) {
    for (String line : settings.describe().split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.startsWith(key + "=")) {
        return trimmed.substring(trimmed.lastIndexOf(" (") + 2, trimmed.length() - 1);
      }
    }
    throw new AssertionError("no line for " + key + " in:\n" + settings.describe());
  }

  private FhirGuardConfigException failure(
      Map<String, String> env, Properties props, ClassLoader loader, Map<String, String> explicit) {
    return assertThrows(
        FhirGuardConfigException.class, () -> new ConfigLoader(env, props, loader).load(explicit));
  }

  // ---- defaults

  @Test
  void every_setting_takes_its_documented_default_when_no_source_sets_it() {
    ResolvedSettings settings =
        new ConfigLoader(Map.of(), new Properties(), classpath()).load(Map.of());

    assertEquals("R4", settings.get(Settings.FHIR_VERSION));
    assertEquals(URI.create("https://fhirguard.dev/CodeSystem/error-code"),
        settings.get(Settings.CODE_SYSTEM));
    assertEquals(false, settings.get(Settings.PRETTY_PRINT));
    assertEquals(true, settings.get(Settings.EXPOSE_CLIENT_ERROR_DETAILS));
    assertEquals(300, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals(true, settings.get(Settings.ACCEPT_CLIENT_REQUEST_ID));
    assertEquals(256, settings.get(Settings.MAX_CORRELATION_ID_LENGTH));
    assertEquals("requestId", settings.get(Settings.MDC_REQUEST_ID_KEY));
    assertEquals("correlationId", settings.get(Settings.MDC_CORRELATION_ID_KEY));
    for (Setting<?> setting : Settings.ALL) {
      if (setting.isTemplate()) {
        assertEquals(Map.of(), settings.named(setting), "a template has no default instance");
        continue;
      }
      assertEquals("default", sourceOf(settings, setting.key()), setting.key());
      assertEquals(setting.defaultValue(), settings.display(setting.key()), setting.key());
    }
  }

  // ---- precedence

  /**
   * Sources from lowest to highest, each setting the same key to its own value. With the first
   * {@code n} sources present, the value of source {@code n} must win.
   */
  @Test
  void each_source_overrides_every_source_below_it() {
    String[] values = {"300", "101", "202", "303", "404", "505"};
    String[] labels = {
      "default", "classpath:fhirguard.properties", "file ", "environment " + LENGTH_ENV,
      "system property", "explicit value"
    };
    Path configFile = propertiesFile(LENGTH + "=" + values[2]);
    for (int present = 0; present < values.length; present++) {
      ClassLoader loader = present >= 1 ? classpath(LENGTH + "=" + values[1]) : classpath();
      Properties props = new Properties();
      if (present >= 2) {
        props.setProperty(ConfigLoader.CONFIG_FILE_PROPERTY, configFile.toString());
      }
      Map<String, String> env = new HashMap<>();
      if (present >= 3) {
        env.put(LENGTH_ENV, values[3]);
      }
      if (present >= 4) {
        props.setProperty(LENGTH, values[4]);
      }
      Map<String, String> explicit = present >= 5 ? map(LENGTH, values[5]) : Map.of();

      ResolvedSettings settings = new ConfigLoader(env, props, loader).load(explicit);

      assertEquals(Integer.valueOf(values[present]), settings.get(Settings.MAX_DIAGNOSTICS_LENGTH),
          "with the " + (present + 1) + " lowest sources present");
      assertTrue(sourceOf(settings, LENGTH).startsWith(labels[present]),
          sourceOf(settings, LENGTH) + " should be " + labels[present]);
    }
  }

  @Test
  void a_higher_source_wins_even_when_the_sources_between_are_silent() {
    // Only the lowest file source and the explicit value: explicit wins.
    ResolvedSettings explicitWins =
        new ConfigLoader(Map.of(), new Properties(), classpath(LENGTH + "=111"))
            .load(map(LENGTH, "999"));
    assertEquals(999, explicitWins.get(Settings.MAX_DIAGNOSTICS_LENGTH));

    // Environment against a config file: environment wins, the file keeps its other keys.
    Path file = propertiesFile(LENGTH + "=222", "fhirguard.outcome.pretty-print=true");
    ResolvedSettings envWins =
        new ConfigLoader(map(LENGTH_ENV, "333"),
                properties(ConfigLoader.CONFIG_FILE_PROPERTY, file.toString()), classpath())
            .load(Map.of());
    assertEquals(333, envWins.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals(true, envWins.get(Settings.PRETTY_PRINT));
    assertEquals("file " + file, sourceOf(envWins, "fhirguard.outcome.pretty-print"));
  }

  @Test
  void the_config_file_can_be_named_by_the_environment_and_the_system_property_name_wins() {
    Path fromEnv = propertiesFile(LENGTH + "=121");
    Path fromProperty = propertiesFile(LENGTH + "=212");

    ResolvedSettings byEnv =
        new ConfigLoader(map("FHIRGUARD_CONFIG", fromEnv.toString()), new Properties(), classpath())
            .load(Map.of());
    assertEquals(121, byEnv.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals("file " + fromEnv, sourceOf(byEnv, LENGTH));

    ResolvedSettings byBoth =
        new ConfigLoader(map("FHIRGUARD_CONFIG", fromEnv.toString()),
                properties(ConfigLoader.CONFIG_FILE_PROPERTY, fromProperty.toString()), classpath())
            .load(Map.of());
    assertEquals(212, byBoth.get(Settings.MAX_DIAGNOSTICS_LENGTH));
  }

  @Test
  void a_missing_file_named_by_the_environment_is_blamed_on_the_environment() {
    FhirGuardConfigException e =
        assertThrows(FhirGuardConfigException.class,
            () -> new ConfigLoader(map("FHIRGUARD_CONFIG", "/no/such/fhirguard.properties"),
                new Properties(), classpath()).load(Map.of()));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("environment FHIRGUARD_CONFIG = '/no/such/"),
        e.problems().get(0));
  }

  @Test
  void a_blank_config_system_property_leaves_the_environment_file_in_force() {
    Path fromEnv = propertiesFile(LENGTH + "=123");
    ResolvedSettings settings =
        new ConfigLoader(map("FHIRGUARD_CONFIG", fromEnv.toString()),
                properties(ConfigLoader.CONFIG_FILE_PROPERTY, "  "), classpath())
            .load(Map.of());
    assertEquals(123, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
  }

  @Test
  void the_start_up_description_shows_effective_values_not_raw_text() {
    ResolvedSettings settings =
        new ConfigLoader(Map.of(), new Properties(), classpath())
            .load(Map.of("fhirguard.fhir-version", " r4 "));
    assertTrue(settings.describe().contains("fhirguard.fhir-version=R4 (explicit value)"),
        settings.describe());
  }

  // ---- environment names

  @Test
  void every_setting_is_read_from_its_environment_variable() {
    Map<String, String> nonDefault =
        map(
            "fhirguard.fhir-version", "R5",
            "fhirguard.outcome.code-system", "urn:example:codes",
            "fhirguard.outcome.pretty-print", "true",
            "fhirguard.outcome.expose-client-error-details", "false",
            "fhirguard.outcome.max-diagnostics-length", "77",
            "fhirguard.outcome.include-trace-id", "true",
            "fhirguard.request-id.accept-client-id", "false",
            "fhirguard.request-id.max-correlation-id-length", "99",
            "fhirguard.request-id.use-trace-id", "true",
            "fhirguard.mdc.request-id-key", "txId",
            "fhirguard.mdc.correlation-id-key", "clientTxId",
            "fhirguard.mdc.trace-id-key", "trace_id",
            "fhirguard.mdc.span-id-key", "span_id");
    nonDefault.putAll(nonDefaultAuthSettings());
    nonDefault.putAll(UpstreamSettingValues.nonDefault());
    nonDefault.putAll(LimitSettingValues.nonDefault());
    nonDefault.putAll(AdmissionSettingValues.nonDefault());
    nonDefault.putAll(ClusterSettingValues.nonDefault());
    List<String> keys =
        Settings.ALL.stream().filter(s -> !s.isTemplate()).map(Setting::key).toList();
    assertEquals(keys, List.copyOf(nonDefault.keySet()), "this test must cover every setting");

    Map<String, String> env = new HashMap<>();
    Map<String, String> expectedName = new LinkedHashMap<>();
    for (String key : keys) {
      // The documented rule, written independently: upper-case, '.' and '-' become '_'.
      String name = key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
      expectedName.put(key, name);
      env.put(name, nonDefault.get(key));
    }
    assertEquals("FHIRGUARD_REQUEST_ID_MAX_CORRELATION_ID_LENGTH",
        expectedName.get("fhirguard.request-id.max-correlation-id-length"));

    ResolvedSettings settings = new ConfigLoader(env, new Properties(), classpath()).load(Map.of());

    for (Setting<?> setting : Settings.ALL) {
      if (setting.isTemplate()) {
        continue;
      }
      assertEquals(expectedName.get(setting.key()), setting.environmentName());
      assertEquals(setting.secret() ? "****" : nonDefault.get(setting.key()),
          settings.display(setting.key()), setting.key());
      assertEquals("environment " + expectedName.get(setting.key()),
          sourceOf(settings, setting.key()));
    }
    assertEquals("R5", settings.get(Settings.FHIR_VERSION));
    assertEquals(URI.create("urn:example:codes"), settings.get(Settings.CODE_SYSTEM));
    assertEquals(77, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals(false, settings.get(Settings.ACCEPT_CLIENT_REQUEST_ID));
    assertEquals("clientTxId", settings.get(Settings.MDC_CORRELATION_ID_KEY));
  }

  /** A valid non-default value for every authentication setting (introspection verifier). */
  private Map<String, String> nonDefaultAuthSettings() {
    Path jwks = propertiesFile("{\"keys\":[]}");
    Path pem = propertiesFile("not checked: the verifier is not built here");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("fhirguard.mdc.client-id-key", "client");
    values.put("fhirguard.auth.enabled", "true");
    values.put("fhirguard.auth.protected-paths", "/fhir/*, /api/*");
    values.put("fhirguard.auth.public-paths", "/fhir/metadata");
    values.put("fhirguard.auth.public-operations", "metadata, read");
    values.put("fhirguard.auth.realm", "example");
    values.put("fhirguard.auth.verifier", "introspection");
    values.put("fhirguard.auth.issuer", "https://auth.example.org");
    values.put("fhirguard.auth.audience", "https://fhir.example.org/fhir");
    values.put("fhirguard.auth.jwks-url", "https://auth.example.org/jwks");
    values.put("fhirguard.auth.jwks-file", jwks.toString());
    values.put("fhirguard.auth.public-key-file", pem.toString());
    values.put("fhirguard.auth.algorithms", "RS384, HS256");
    values.put("fhirguard.auth.hmac-secret", "0123456789abcdef0123456789abcdef");
    values.put("fhirguard.auth.clock-skew", "30s");
    values.put("fhirguard.auth.jwks-cache-ttl", "5m");
    values.put("fhirguard.auth.jwks-refetch-interval", "10s");
    values.put("fhirguard.auth.jwks-outage-tolerance", "10m");
    values.put("fhirguard.auth.http-timeout", "500ms");
    values.put("fhirguard.auth.introspection-url", "https://auth.example.org/introspect");
    values.put("fhirguard.auth.introspection-client-id", "fhir-server");
    values.put("fhirguard.auth.introspection-client-secret", "s3cret");
    values.put("fhirguard.auth.client-id-claim", "azp");
    values.put("fhirguard.auth.token-cache-max-bytes", "512KiB");
    values.put("fhirguard.auth.max-token-length", "4096");
    values.put("fhirguard.scopes.enforce", "false");
    values.put("fhirguard.scopes.url-paths", "/plain/*");
    values.put("fhirguard.client-address.trusted-proxies", "10.0.0.0/8, 192.168.1.1");
    return values;
  }

  @Test
  void per_client_settings_cannot_come_from_the_environment() {
    FhirGuardConfigException e = assertThrows(FhirGuardConfigException.class,
        () -> new ConfigLoader(map("FHIRGUARD_CLIENTS_APP_ALLOWED_ADDRESSES", "10.0.0.0/8"),
            new Properties(), classpath()).load(Map.of()));
    assertTrue(e.problems().get(0).contains("use a properties file"), e.getMessage());
  }

  @Test
  void per_client_settings_are_read_by_name() {
    ResolvedSettings settings = new ConfigLoader(Map.of(), new Properties(),
        classpath("fhirguard.clients.app-1.allowed-addresses=10.0.0.0/8 192.168.0.7"))
        .load(Map.of("fhirguard.clients.other.allowed-addresses", "::1"));
    assertEquals(Map.of("app-1", List.of("10.0.0.0/8", "192.168.0.7"), "other", List.of("0:0:0:0:0:0:0:1")),
        settings.named(AuthSettings.CLIENT_ALLOWED_ADDRESSES));
    assertEquals("10.0.0.0/8, 192.168.0.7",
        settings.display("fhirguard.clients.app-1.allowed-addresses"));
  }

  @Test
  void environment_variables_outside_the_prefix_are_ignored() {
    ResolvedSettings settings =
        new ConfigLoader(map("PATH", "/usr/bin", "HOME", "/root", "fhirguard_outcome_pretty_print",
                "true"), new Properties(), classpath())
            .load(Map.of());
    assertEquals(false, settings.get(Settings.PRETTY_PRINT));
  }

  @Test
  void kubernetesServiceLinksOfAServiceNamedFhirguardDoNotStopStartUp() {
    Map<String, String> env = new HashMap<>(map(
        "FHIRGUARD_SERVICE_HOST", "10.96.0.12",
        "FHIRGUARD_SERVICE_PORT", "443",
        "FHIRGUARD_SERVICE_PORT_HTTPS", "443",
        "FHIRGUARD_PORT", "tcp://10.96.0.12:443",
        "FHIRGUARD_PORT_443_TCP", "tcp://10.96.0.12:443",
        "FHIRGUARD_PORT_443_TCP_PROTO", "tcp",
        "FHIRGUARD_PORT_443_TCP_PORT", "443",
        "FHIRGUARD_PORT_443_TCP_ADDR", "10.96.0.12",
        "FHIRGUARD_METRICS_SERVICE_HOST", "10.96.0.13",
        "FHIRGUARD_METRICS_PORT_9090_UDP_ADDR", "10.96.0.13"));
    env.put(LENGTH_ENV, "400");

    ResolvedSettings settings = new ConfigLoader(env, new Properties(), classpath()).load(Map.of());

    assertEquals(400, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
  }

  @Test
  void aMisspeltVariableNextToServiceLinksStillStopsStartUp() {
    FhirGuardConfigException e = failure(
        map("FHIRGUARD_SERVICE_HOST", "10.96.0.12", "FHIRGUARD_SERVICE_HOSTNAME", "x",
            "FHIRGUARD_PORT_443_TCP_PROT", "tcp", "FHIRGUARD_RATE_LIMT_CAPACITY", "5"),
        new Properties(), classpath(), Map.of());

    assertEquals(List.of("FHIRGUARD_PORT_443_TCP_PROT", "FHIRGUARD_RATE_LIMT_CAPACITY",
            "FHIRGUARD_SERVICE_HOSTNAME"),
        e.problems().stream().map(p -> p.split(":")[0].replace("environment variable ", ""))
            .toList(), String.join("\n", e.problems()));
  }

  // ---- strictness

  @Test
  void every_problem_of_every_source_is_reported_in_one_exception() {
    Path missing = temp.resolve("does-not-exist.properties");
    ClassLoader loader =
        classpath("fhirguard.fhir-version=R6", "fhirguard.outcome.code-system=relative/path");
    Map<String, String> env =
        map(LENGTH_ENV, "lots", "FHIRGUARD_OUTCOME_PRETY_PRINT", "true");
    Properties props =
        properties(
            ConfigLoader.CONFIG_FILE_PROPERTY, missing.toString(),
            "fhirguard.outcome.pretty-print", "yes");
    Map<String, String> explicit =
        map(
            "fhirguard.request-id.max-correlation-id-length", "5",
            "fhirguard.outcome.prety-print", "true");

    FhirGuardConfigException e = failure(env, props, loader, explicit);

    List<String> problems = e.problems();
    assertEquals(8, problems.size(), String.join("\n", problems));
    Map<String, Predicate<String>> expected = new LinkedHashMap<>();
    expected.put("missing config file", p -> p.contains(missing.toString())
        && p.contains("system property fhirguard.config")
        && p.contains("expected the path of a readable properties file"));
    expected.put("unknown environment variable", p -> p.contains("FHIRGUARD_OUTCOME_PRETY_PRINT")
        && p.contains("unknown fhirguard setting")
        && p.contains("did you mean fhirguard.outcome.pretty-print?"));
    expected.put("unknown key", p -> p.startsWith("fhirguard.outcome.prety-print ")
        && p.contains("(from explicit value)") && p.contains("unknown fhirguard setting")
        && p.contains("did you mean fhirguard.outcome.pretty-print?"));
    expected.put("bad enum", p -> p.startsWith("fhirguard.fhir-version = 'R6'")
        && p.contains("(from classpath:fhirguard.properties)")
        && p.contains("expected one of DSTU3, R4, R4B, R5"));
    expected.put("bad URI", p -> p.startsWith("fhirguard.outcome.code-system = 'relative/path'")
        && p.contains("(from classpath:fhirguard.properties)")
        && p.contains("expected an absolute URI"));
    expected.put("bad boolean", p -> p.startsWith("fhirguard.outcome.pretty-print = 'yes'")
        && p.contains("(from system property)") && p.contains("expected true or false"));
    expected.put("bad integer", p -> p.startsWith(LENGTH + " = 'lots'")
        && p.contains("(from environment " + LENGTH_ENV + ")")
        && p.contains("expected a whole number from 40 to 4000"));
    expected.put("out-of-range integer",
        p -> p.startsWith("fhirguard.request-id.max-correlation-id-length = '5'")
            && p.contains("(from explicit value)")
            && p.contains("expected a whole number from 16 to 1024"));
    List<String> unmatched = new ArrayList<>();
    expected.forEach((what, test) -> {
      long hits = problems.stream().filter(test).count();
      if (hits != 1) {
        unmatched.add(what + " matched " + hits + " problems");
      }
    });
    assertTrue(unmatched.isEmpty(), unmatched + "\n" + String.join("\n", problems));

    String message = e.getMessage();
    assertTrue(message.startsWith("Invalid fhirguard configuration (8 problems):"), message);
    for (String problem : problems) {
      assertTrue(message.contains("  - " + problem), message);
    }
  }

  @Test
  void a_single_problem_is_reported_in_the_singular() {
    FhirGuardConfigException e =
        failure(Map.of(), new Properties(), classpath(), map("fhirguard.outcome.pretty-print", "1"));
    assertEquals(1, e.problems().size());
    assertTrue(e.getMessage().startsWith("Invalid fhirguard configuration (1 problem):"),
        e.getMessage());
  }

  @Test
  void an_unknown_key_under_the_prefix_fails_in_every_source() {
    Path file = propertiesFile("fhirguard.outcome.colour=blue");
    FhirGuardConfigException e =
        failure(
            map("FHIRGUARD_RATE_LIMIT", "5"),
            properties(ConfigLoader.CONFIG_FILE_PROPERTY, file.toString(),
                "fhirguard.request-id.header", "X-Trace"),
            classpath("fhirguard.nothing=1"),
            map("fhirguard.bogus", "x"));

    List<String> problems = e.problems();
    assertEquals(5, problems.size(), String.join("\n", problems));
    assertEquals(1, problems.stream()
        .filter(p -> p.startsWith("fhirguard.nothing (from classpath:fhirguard.properties)"))
        .count());
    assertEquals(1, problems.stream()
        .filter(p -> p.startsWith("fhirguard.outcome.colour (from file " + file + ")")).count());
    assertEquals(1, problems.stream()
        .filter(p -> p.startsWith("environment variable FHIRGUARD_RATE_LIMIT")).count());
    assertEquals(1, problems.stream()
        .filter(p -> p.startsWith("fhirguard.request-id.header (from system property)")).count());
    assertEquals(1, problems.stream()
        .filter(p -> p.startsWith("fhirguard.bogus (from explicit value)")).count());
    assertTrue(problems.stream().allMatch(p -> p.contains("unknown fhirguard setting")),
        String.join("\n", problems));
  }

  @Test
  void keys_outside_the_prefix_are_ignored_in_files_and_system_properties_but_not_when_explicit() {
    ResolvedSettings settings =
        new ConfigLoader(Map.of(), properties("java.home", "/opt/jdk", "user.name", "x"),
                classpath("server.port=8080", "fhirguard.outcome.pretty-print=true"))
            .load(Map.of());
    assertEquals(true, settings.get(Settings.PRETTY_PRINT));

    FhirGuardConfigException e =
        failure(Map.of(), new Properties(), classpath(), map("outcome.pretty-print", "true"));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith("outcome.pretty-print (from explicit value)"),
        e.problems().get(0));
  }

  @Test
  void a_bad_value_that_a_higher_source_overrides_is_not_a_problem() {
    ResolvedSettings settings =
        new ConfigLoader(map("FHIRGUARD_OUTCOME_PRETTY_PRINT", "maybe"), new Properties(),
                classpath(LENGTH + "=9"))
            .load(map("fhirguard.outcome.pretty-print", "true", LENGTH, "120"));
    assertEquals(true, settings.get(Settings.PRETTY_PRINT));
    assertEquals(120, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
  }

  @Test
  void an_mdc_key_must_be_a_name_starting_with_a_letter() {
    FhirGuardConfigException e =
        failure(Map.of(), new Properties(), classpath(),
            map("fhirguard.mdc.request-id-key", "1st key"));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith("fhirguard.mdc.request-id-key = '1st key'"),
        e.problems().get(0));
    assertTrue(e.problems().get(0).contains("starting with a letter"), e.problems().get(0));
  }

  // ---- value syntax

  @Test
  void values_are_trimmed_before_they_are_parsed() {
    Path file = propertiesFile("fhirguard.outcome.code-system = https://example.org/cs  ");
    ResolvedSettings settings =
        new ConfigLoader(
                map(LENGTH_ENV, "  120\t", "FHIRGUARD_CONFIG", file.toString()),
                properties("fhirguard.fhir-version", " r4b "), classpath())
            .load(
                map(
                    "fhirguard.outcome.pretty-print", "  true ",
                    "fhirguard.mdc.request-id-key", "  txId "));
    assertEquals(120, settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals("R4B", settings.get(Settings.FHIR_VERSION));
    assertEquals(true, settings.get(Settings.PRETTY_PRINT));
    assertEquals("txId", settings.get(Settings.MDC_REQUEST_ID_KEY));
    assertEquals(URI.create("https://example.org/cs"), settings.get(Settings.CODE_SYSTEM));
  }

  @Test
  void explicit_keys_are_trimmed_too() {
    ResolvedSettings settings =
        new ConfigLoader(Map.of(), new Properties(), classpath())
            .load(map(" fhirguard.outcome.pretty-print ", "true"));
    assertEquals(true, settings.get(Settings.PRETTY_PRINT));
  }

  @Test
  void booleans_are_case_insensitive() {
    for (String text : List.of("TRUE", "True", "tRuE", "true")) {
      assertEquals(true,
          new ConfigLoader(Map.of(), new Properties(), classpath())
              .load(map("fhirguard.outcome.pretty-print", text))
              .get(Settings.PRETTY_PRINT), text);
    }
    for (String text : List.of("FALSE", "False", "fAlSe")) {
      assertEquals(false,
          new ConfigLoader(Map.of(), new Properties(), classpath())
              .load(map("fhirguard.request-id.accept-client-id", text))
              .get(Settings.ACCEPT_CLIENT_REQUEST_ID), text);
    }
    for (String text : List.of("yes", "1", "on", "")) {
      try {
        new ConfigLoader(Map.of(), new Properties(), classpath())
            .load(map("fhirguard.outcome.pretty-print", text));
        fail("'" + text + "' must not be accepted as a boolean");
      } catch (FhirGuardConfigException expected) {
        assertTrue(expected.problems().get(0).contains("expected true or false"),
            expected.getMessage());
      }
    }
  }

  @Test
  void integers_accept_their_bounds_and_nothing_beyond() {
    assertEquals(40, new ConfigLoader(Map.of(), new Properties(), classpath())
        .load(map(LENGTH, "40")).get(Settings.MAX_DIAGNOSTICS_LENGTH));
    assertEquals(4000, new ConfigLoader(Map.of(), new Properties(), classpath())
        .load(map(LENGTH, "4000")).get(Settings.MAX_DIAGNOSTICS_LENGTH));
    for (String text : List.of("39", "4001", "3.5", "1e3", "-300")) {
      FhirGuardConfigException e =
          failure(Map.of(), new Properties(), classpath(), map(LENGTH, text));
      assertTrue(e.problems().get(0).contains("expected a whole number from 40 to 4000"),
          text + ": " + e.getMessage());
    }
  }
}
