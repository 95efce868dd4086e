package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Builds the {@link FhirGuardConfig} of a Spring application: the values Spring resolves are
 * given to the core's strict validation as explicit values (its highest source), so an unknown key
 * or a bad value in {@code application.yml} stops start-up with the core's single message.
 *
 * <p>The core also reads {@code FHIRGUARD_*} variables, {@code fhirguard.*} system properties,
 * {@code fhirguard.properties} and the {@code fhirguard.config} file itself. Spring's environment
 * holds the same variables and system properties, and every key Spring resolves is given
 * explicitly, so the core's own reading never decides a value Spring has: at most it sets keys
 * only those files name, below Spring's.
 */
public final class SpringConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(SpringConfigLoader.class);
  private static final String EXPLICIT = "(from explicit value)";

  private SpringConfigLoader() {}

  /**
   * @throws FhirGuardConfigException listing every problem, each naming where Spring found the
   *     value ({@code class path resource [application.yml] - 3:14})
   */
  public static FhirGuardConfig load(ConfigurableEnvironment environment) {
    EnvironmentSettings.Values read = EnvironmentSettings.read(environment, SettingCatalog.get());
    FhirGuardConfig config;
    try {
      config = FhirGuardConfig.load(read.values());
    } catch (FhirGuardConfigException e) {
      throw new FhirGuardConfigException(merge(read.problems(), located(e.problems(), read.origins())));
    }
    if (!read.problems().isEmpty()) {
      throw new FhirGuardConfigException(read.problems());
    }
    logOrigins(read.origins());
    return config;
  }

  /** The core's problems, each naming the Spring origin of its key instead of "explicit value". */
  static List<String> located(List<String> problems, Map<String, String> origins) {
    List<String> located = new ArrayList<>();
    for (String problem : problems) {
      int end = problem.indexOf(' ');
      String origin = end > 0 ? origins.get(problem.substring(0, end)) : null;
      located.add(origin == null ? problem : problem.replace(EXPLICIT, "(from " + origin + ")"));
    }
    return located;
  }

  /**
   * The problems found here, then the core's, without the core's report of an environment
   * variable reported here already.
   */
  private static List<String> merge(List<String> own, List<String> core) {
    Set<String> merged = new LinkedHashSet<>(own);
    for (String problem : core) {
      String subject = problem.startsWith("environment variable ") && problem.indexOf(':') > 0
          ? problem.substring(0, problem.indexOf(':') + 1) : null;
      if (subject == null || own.stream().noneMatch(o -> o.startsWith(subject))) {
        merged.add(problem);
      }
    }
    return List.copyOf(merged);
  }

  private static void logOrigins(Map<String, String> origins) {
    if (origins.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder("fhirguard settings from the Spring environment"
        + " (shown as 'explicit value' in the configuration logged next):");
    origins.forEach((key, origin) -> lines.append(System.lineSeparator())
        .append("  ").append(key).append(" (").append(origin.replaceAll("\\p{Cntrl}", " "))
        .append(')'));
    LOG.info("{}", lines);
  }
}
