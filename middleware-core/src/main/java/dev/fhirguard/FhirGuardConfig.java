package dev.fhirguard;

import dev.fhirguard.internal.config.ConfigLoader;
import dev.fhirguard.internal.config.ResolvedSettings;
import java.util.Map;

/**
 * The validated, frozen fhirguard configuration.
 *
 * <p>Values come from, lowest precedence first: built-in defaults, {@code fhirguard.properties}
 * on the classpath, the properties file named by the system property {@code fhirguard.config} (or
 * the environment variable {@code FHIRGUARD_CONFIG}), environment variables ({@code
 * FHIRGUARD_OUTCOME_PRETTY_PRINT} for {@code fhirguard.outcome.pretty-print}), system properties,
 * and the explicit values given here (in {@code web.xml}: the filter's init-params). Any unknown
 * {@code fhirguard.*} key or malformed value fails with one {@link FhirGuardConfigException}
 * listing every problem.
 */
public final class FhirGuardConfig {

  private final ResolvedSettings settings;

  private FhirGuardConfig(ResolvedSettings settings) {
    this.settings = settings;
  }

  /** Loads from the standard sources. */
  public static FhirGuardConfig load() {
    return load(Map.of());
  }

  /** Loads from the standard sources, then applies {@code explicit} (full keys) on top. */
  public static FhirGuardConfig load(Map<String, String> explicit) {
    return new FhirGuardConfig(ConfigLoader.loadStandard(explicit));
  }

  /** The effective text of {@code key}, masked when secret; {@code null} for an unknown key. */
  public String get(String key) {
    return settings.display(key);
  }

  ResolvedSettings settings() {
    return settings;
  }

  /** Every key with its effective value and source, secrets masked. */
  @Override
  public String toString() {
    return settings.describe();
  }
}
