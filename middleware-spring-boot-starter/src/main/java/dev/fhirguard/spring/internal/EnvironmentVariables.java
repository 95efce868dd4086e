package dev.fhirguard.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code FHIRGUARD_*} environment variables that name no documented key. Spring maps a
 * variable to a property name by guessing (its underscores may have been dots or dashes), so the
 * documented keys are looked up by name instead and any other such variable is reported here,
 * except {@code FHIRGUARD_CONFIG} (read by the core) and the service links Kubernetes injects for
 * a Service named {@code fhirguard}.
 */
final class EnvironmentVariables {

  private static final String PREFIX = "FHIRGUARD_";

  /** What Kubernetes injects for a Service named fhirguard (FHIRGUARD_SERVICE_HOST, ...). */
  private static final Pattern SERVICE_LINK = Pattern.compile(
      "FHIRGUARD_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");

  /** A list index at the end of a variable: {@code FHIRGUARD_AUTH_AUDIENCE_0_}. */
  private static final String INDEX = "(_\\d+)+_?$";

  private EnvironmentVariables() {}

  static List<String> unknown(SystemEnvironmentPropertySource variables, SettingCatalog catalog) {
    List<String> problems = new ArrayList<>();
    for (String variable : variables.getPropertyNames()) {
      String upper = variable.toUpperCase(Locale.ROOT);
      if (upper.startsWith(PREFIX) && !upper.equals("FHIRGUARD_CONFIG")
          && !SERVICE_LINK.matcher(upper).matches()
          && catalog.find(upper.replaceAll(INDEX, "")) == null) {
        problems.add("environment variable " + variable + ": unknown fhirguard setting"
            + (isTemplate(upper, catalog) ? templateHint(catalog) : ""));
      }
    }
    return problems;
  }

  private static boolean isTemplate(String variable, SettingCatalog catalog) {
    return heads(catalog).stream()
        .anyMatch(head -> SettingCatalog.squash(variable).startsWith(SettingCatalog.squash(head)));
  }

  private static String templateHint(SettingCatalog catalog) {
    return "; settings with a name part (" + String.join("<name>.*, ", heads(catalog))
        + "<name>.*) cannot be set from the environment, whose variable names cannot keep the"
        + " name: use application.yml or application.properties";
  }

  /** {@code fhirguard.clients.}, {@code fhirguard.upstreams.}: what comes before a name part. */
  private static List<String> heads(SettingCatalog catalog) {
    return catalog.templates().stream()
        .map(t -> t.key().substring(0, t.key().indexOf('<')))
        .distinct()
        .collect(Collectors.toList());
  }
}
