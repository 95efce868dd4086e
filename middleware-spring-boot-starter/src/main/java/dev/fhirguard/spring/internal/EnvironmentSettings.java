package dev.fhirguard.spring.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every {@code fhirguard.*} value of a Spring {@link ConfigurableEnvironment}, by the core's key,
 * as Spring resolves it: its precedence (command line over environment over profile files over
 * {@code application.yml}), its relaxed names ({@code FHIRGUARD_AUTH_ENABLED}, {@code
 * prettyPrint}), placeholders, and YAML lists and maps (given to the core as its comma list,
 * {@code key=value} pairs for a map).
 *
 * <p>Documented keys are looked up by name, so every spelling Spring accepts is found; the rest
 * of the names under {@code fhirguard.} (per-client and per-upstream keys, typos) are enumerated
 * from the property sources and passed on for the core to check. An environment variable that
 * names no documented key is reported here (its dots and dashes cannot be told apart), except
 * Kubernetes' service-link variables of a Service named {@code fhirguard}.
 */
public final class EnvironmentSettings {

  /** The core's own pointer to a properties file, which it reads itself. */
  static final String CONFIG_FILE_KEY = "fhirguard.config";

  private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("fhirguard");

  /**
   * @param values the text of each key set in the environment
   * @param origins where each key's value came from ({@code class path resource
   *     [application.yml] - 3:14}, {@code System Environment Property "FHIRGUARD_AUTH_ENABLED"})
   * @param problems names the core cannot be given (unknown environment variables)
   */
  public record Values(Map<String, String> values, Map<String, String> origins,
      List<String> problems) {}

  private final SettingCatalog catalog;
  private final List<ConfigurationPropertySource> sources = new ArrayList<>();
  private final Binder binder;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private EnvironmentSettings(ConfigurableEnvironment environment, SettingCatalog catalog) {
    this.catalog = catalog;
    ConfigurationPropertySources.get(environment).forEach(sources::add);
    this.binder = Binder.get(environment);
  }

  /** Reads {@code environment}. */
  public static Values read(ConfigurableEnvironment environment, SettingCatalog catalog) {
    return new EnvironmentSettings(environment, catalog).read();
  }

  private Values read() {
    for (SettingCatalog.Entry entry : catalog.plain()) {
      ConfigurationPropertyName name = ConfigurationPropertyName.of(entry.key());
      text(name, entry.list()).ifPresent(text -> put(entry.key(), name, text));
    }
    Map<ConfigurationPropertyName, String> others = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : sources) {
      if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource variables) {
        problems.addAll(EnvironmentVariables.unknown(variables, catalog));
      } else if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.stream()
            .filter(PREFIX::isAncestorOf)
            .map(EnvironmentSettings::withoutTrailingIndexes)
            .filter(name -> !isCovered(name) && !isConfigFile(name, source))
            .forEach(name -> others.putIfAbsent(name, coreKey(name)));
      }
    }
    others.forEach((name, key) -> text(name, false).ifPresent(text -> put(key, name, text)));
    return new Values(values, origins, problems);
  }

  private void put(String key, ConfigurationPropertyName name, String text) {
    values.put(key, text);
    origins.put(key, originOf(name));
  }

  /**
   * The value of {@code name}: a scalar, else a list joined with commas, else a map's {@code
   * key=value} pairs; a list key is not read as a scalar, so that Spring's list rules decide
   * between a comma string and indexed entries.
   */
  private Optional<String> text(ConfigurationPropertyName name, boolean list) {
    List<Function<ConfigurationPropertyName, Optional<String>>> readers = list
        ? List.of(this::asList, this::asMap)
        : List.of(this::asScalar, this::asList, this::asMap);
    boolean unreadable = false;
    for (Function<ConfigurationPropertyName, Optional<String>> reader : readers) {
      try {
        Optional<String> text = reader.apply(name);
        if (text.isPresent()) {
          return text;
        }
      } catch (BindException e) {
        unreadable = true; // a map is no list, for one: the next reader may read it
      }
    }
    if (unreadable) {
      // Spring's message may quote the value, a secret perhaps: not repeated here.
      problems.add(name + " (from " + originOf(name) + "): expected a value, a list or a map");
    }
    return Optional.empty();
  }

  private Optional<String> asScalar(ConfigurationPropertyName name) {
    return bind(name, Bindable.of(String.class));
  }

  private Optional<String> asList(ConfigurationPropertyName name) {
    return bind(name, Bindable.listOf(String.class)).map(values -> String.join(", ", values));
  }

  private Optional<String> asMap(ConfigurationPropertyName name) {
    return bind(name, Bindable.mapOf(String.class, String.class)).map(map -> map.entrySet()
        .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
  }

  private <T> Optional<T> bind(ConfigurationPropertyName name, Bindable<T> target) {
    return Optional.ofNullable(binder.bind(name, target).orElse(null));
  }

  /** Whether a documented key already covers {@code name} (itself, or a map entry of a list). */
  private boolean isCovered(ConfigurationPropertyName name) {
    for (int size = name.getNumberOfElements(); size > 1; size--) {
      SettingCatalog.Entry entry = catalog.find(coreKey(name.chop(size)));
      if (entry != null && (size == name.getNumberOfElements() || entry.list())) {
        return true;
      }
    }
    return false;
  }

  private boolean isConfigFile(ConfigurationPropertyName name, ConfigurationPropertySource source) {
    if (!name.equals(ConfigurationPropertyName.of(CONFIG_FILE_KEY))) {
      return false;
    }
    if (!"systemProperties".equals(sourceName(source))) {
      problems.add(CONFIG_FILE_KEY + " (from " + originOf(name) + "): fhirguard reads a properties"
          + " file named only by the system property " + CONFIG_FILE_KEY + " or the environment"
          + " variable FHIRGUARD_CONFIG; put the settings themselves in the Spring configuration");
    }
    return true;
  }

  private String coreKey(ConfigurationPropertyName name) {
    return CoreKeys.of(name, catalog);
  }

  private static ConfigurationPropertyName withoutTrailingIndexes(ConfigurationPropertyName name) {
    ConfigurationPropertyName base = name;
    while (base.getNumberOfElements() > 1 && base.isLastElementIndexed()) {
      base = base.getParent();
    }
    return base;
  }

  private String originOf(ConfigurationPropertyName name) {
    for (ConfigurationPropertySource source : sources) {
      ConfigurationProperty property = source.getConfigurationProperty(name);
      if (property == null && source instanceof IterableConfigurationPropertySource iterable) {
        property = iterable.stream()
            .filter(name::isAncestorOf)
            .findFirst()
            .map(source::getConfigurationProperty)
            .orElse(null);
      }
      if (property != null) {
        return property.getOrigin() != null
            ? property.getOrigin().toString()
            : "property source '" + sourceName(source) + "'";
      }
    }
    return "the Spring environment";
  }

  private static String sourceName(ConfigurationPropertySource source) {
    return source.getUnderlyingSource() instanceof PropertySource<?> propertySource
        ? propertySource.getName()
        : String.valueOf(source.getUnderlyingSource());
  }
}
