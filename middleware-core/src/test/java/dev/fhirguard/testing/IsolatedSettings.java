package dev.fhirguard.testing;

import dev.fhirguard.internal.config.ConfigLoader;
import dev.fhirguard.internal.config.ResolvedSettings;
import java.util.Map;
import java.util.Properties;

/** Resolved fhirguard settings that nothing on the test machine can change. */
public final class IsolatedSettings {

  private IsolatedSettings() {}

  /** The defaults plus {@code explicit} only: no environment, system property or classpath file. */
  public static ResolvedSettings of(Map<String, String> explicit) {
    ClassLoader nothingOnIt = new ClassLoader(null) {};
    return new ConfigLoader(Map.of(), new Properties(), nothingOnIt).load(explicit);
  }
}
