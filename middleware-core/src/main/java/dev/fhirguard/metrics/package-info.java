/**
 * Micrometer meters of a guard ({@link dev.fhirguard.metrics.FhirGuardMetrics}). Needs {@code
 * io.micrometer:micrometer-core} (and, for the circuit breakers' own meters, {@code
 * io.github.resilience4j:resilience4j-micrometer}) on the class path: optional dependencies of
 * fhirguard-core that nothing else uses.
 */
package dev.fhirguard.metrics;
