package dev.fhirguard.spring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The bridge from Spring's environment to the core's configuration, on Spring's own property
 * sources: YAML as Boot loads {@code application.yml} (origins and all), environment variables
 * as Boot maps them, and command-line arguments, in Boot's precedence.
 */
class EnvironmentSettingsTest {

  private final Map<String, Object> variables = new LinkedHashMap<>();
  private String yaml = "";
  private String[] arguments = {};

  @Test
  void yaml_lists_and_maps_reach_the_core_as_its_comma_lists() {
    yaml = """
        fhirguard:
          auth:
            audience:
              - https://fhir.example.org/fhir
              - https://fhir.example.org/r4
          upstream:
            exception-mappings:
              "[com.acme.EhrDownException]": UPSTREAM_UNREACHABLE
              "[com.acme.EhrBusyException]": UPSTREAM_UNAVAILABLE
        """;
    FhirGuardConfig config = load();
    assertEquals("https://fhir.example.org/fhir, https://fhir.example.org/r4",
        config.get("fhirguard.auth.audience"));
    assertEquals("com.acme.EhrDownException=UPSTREAM_UNREACHABLE,"
        + " com.acme.EhrBusyException=UPSTREAM_UNAVAILABLE",
        config.get("fhirguard.upstream.exception-mappings"));
  }

  @Test
  void environment_variables_in_spring_and_fhirguard_spelling_override_the_yaml() {
    yaml = """
        fhirguard:
          outcome:
            pretty-print: false
            max-diagnostics-length: 200
        """;
    variables.put("FHIRGUARD_OUTCOME_PRETTY_PRINT", "true");
    variables.put("FHIRGUARD_OUTCOME_MAXDIAGNOSTICSLENGTH", "100");
    EnvironmentSettings.Values values = read();
    assertEquals("true", values.values().get("fhirguard.outcome.pretty-print"));
    assertEquals("100", values.values().get("fhirguard.outcome.max-diagnostics-length"));
    assertEquals("\"FHIRGUARD_OUTCOME_PRETTY_PRINT\" from property source \"systemEnvironment\"",
        values.origins().get("fhirguard.outcome.pretty-print"));
    assertEquals(List.of(), values.problems());
  }

  @Test
  void an_indexed_environment_variable_list_is_a_comma_list() {
    variables.put("FHIRGUARD_AUTH_AUDIENCE_0_", "https://a.example.org");
    variables.put("FHIRGUARD_AUTH_AUDIENCE_1_", "https://b.example.org");
    EnvironmentSettings.Values values = read();
    assertEquals("https://a.example.org, https://b.example.org",
        values.values().get("fhirguard.auth.audience"));
    assertEquals(List.of(), values.problems());
  }

  @Test
  void a_command_line_argument_overrides_the_environment_and_the_yaml() {
    yaml = "fhirguard.auth.realm: from-yaml\n";
    variables.put("FHIRGUARD_AUTH_REALM", "from-environment");
    arguments = new String[] {"--fhirguard.auth.realm=from-command-line"};
    assertEquals("from-command-line", load().get("fhirguard.auth.realm"));
  }

  @Test
  void per_client_keys_keep_their_name_in_any_spelling_spring_accepts() {
    yaml = """
        fhirguard:
          clients:
            "[app.example.org]":
              allowed-addresses: [10.0.0.0/8, 192.0.2.7]
            lab-app:
              rateLimit:
                capacity: 5
        """;
    FhirGuardConfig config = load();
    assertEquals("10.0.0.0/8, 192.0.2.7",
        config.get("fhirguard.clients.app.example.org.allowed-addresses"));
    assertEquals("5", config.get("fhirguard.clients.lab-app.rate-limit.capacity"));
  }

  @Test
  void placeholders_are_resolved_by_spring() {
    yaml = "fhirguard.auth.realm: ${REALM_NAME}\n";
    variables.put("REALM_NAME", "clinical");
    assertEquals("clinical", load().get("fhirguard.auth.realm"));
  }

  @Test
  void kubernetes_service_links_of_a_service_named_fhirguard_are_ignored() {
    for (String name : List.of("FHIRGUARD_SERVICE_HOST", "FHIRGUARD_SERVICE_PORT",
        "FHIRGUARD_SERVICE_PORT_HTTPS", "FHIRGUARD_PORT", "FHIRGUARD_PORT_443_TCP",
        "FHIRGUARD_PORT_443_TCP_PROTO", "FHIRGUARD_PORT_443_TCP_PORT",
        "FHIRGUARD_PORT_443_TCP_ADDR")) {
      variables.put(name, "10.0.0.1");
    }
    EnvironmentSettings.Values values = read();
    assertEquals(Map.of(), values.values());
    assertEquals(List.of(), values.problems());
  }

  @Test
  void an_unknown_environment_variable_stops_start_up() {
    variables.put("FHIRGUARD_AUTH_ENABLD", "true");
    variables.put("FHIRGUARD_CLIENTS_APP_ALLOWED_ADDRESSES", "10.0.0.0/8");
    FhirGuardConfigException failure = assertThrows(FhirGuardConfigException.class, this::load);
    assertEquals("environment variable FHIRGUARD_AUTH_ENABLD: unknown fhirguard setting",
        failure.problems().get(0));
    assertTrue(failure.problems().get(1).startsWith(
        "environment variable FHIRGUARD_CLIENTS_APP_ALLOWED_ADDRESSES: unknown fhirguard"
            + " setting; settings with a name part (fhirguard.clients.<name>.*,"
            + " fhirguard.upstreams.<name>.*) cannot be set from the environment"),
        failure.problems().get(1));
  }

  @Test
  void a_misspelt_yaml_key_is_reported_with_the_file_and_line_it_is_on() {
    yaml = """
        fhirguard:
          auth:
            enabeld: true
        """;
    FhirGuardConfigException failure = assertThrows(FhirGuardConfigException.class, this::load);
    assertEquals(List.of("fhirguard.auth.enabeld (from Byte array resource [application.yml] -"
        + " 3:14): unknown fhirguard setting (did you mean fhirguard.auth.enabled?)"),
        failure.problems());
  }

  @Test
  void a_bad_yaml_value_is_reported_with_the_file_and_line_it_is_on() {
    yaml = """
        fhirguard:
          outcome:
            pretty-print: sometimes
        """;
    FhirGuardConfigException failure = assertThrows(FhirGuardConfigException.class, this::load);
    assertEquals(List.of("fhirguard.outcome.pretty-print = 'sometimes' (from Byte array resource"
        + " [application.yml] - 3:19): expected true or false"), failure.problems());
  }

  @Test
  void the_core_config_file_pointer_in_yaml_is_refused_rather_than_ignored() {
    yaml = "fhirguard.config: /etc/fhirguard.properties\n";
    FhirGuardConfigException failure = assertThrows(FhirGuardConfigException.class, this::load);
    assertTrue(failure.getMessage().contains("fhirguard.config (from Byte array resource"
        + " [application.yml] - 1:19): fhirguard reads a properties file named only by the"
        + " system property"), failure.getMessage());
  }

  private FhirGuardConfig load() {
    return SpringConfigLoader.load(environment());
  }

  private EnvironmentSettings.Values read() {
    return EnvironmentSettings.read(environment(), SettingCatalog.get());
  }

  private ConfigurableEnvironment environment() {
    StandardEnvironment environment = new StandardEnvironment();
    var sources = environment.getPropertySources();
    sources.addFirst(new SimpleCommandLinePropertySource(arguments));
    sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    yamlSources().forEach(sources::addLast);
    return environment;
  }

  private List<PropertySource<?>> yamlSources() {
    try {
      return new YamlPropertySourceLoader().load("application.yml",
          new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
