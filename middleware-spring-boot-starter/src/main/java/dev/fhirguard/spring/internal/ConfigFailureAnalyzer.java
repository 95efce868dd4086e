package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuardConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid fhirguard configuration into Boot's "APPLICATION FAILED TO START" report: the
 * core's message (every problem, each with where the value came from) and what to do.
 */
public final class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<FhirGuardConfigException> {

  static final String ACTION = "Correct or remove each fhirguard setting listed above where it is"
      + " set: application.yml or application.properties (or a profile's), a FHIRGUARD_*"
      + " environment variable, a -D system property or a --fhirguard.* argument. Every setting"
      + " is described in fhirguard's docs/configuration.md; lists may be written as YAML lists.";

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FhirGuardConfigException cause) {
    return new FailureAnalysis(cause.getMessage(), ACTION, cause);
  }
}
