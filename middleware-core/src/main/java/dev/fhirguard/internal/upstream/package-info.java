/**
 * Not API; may change without notice. Circuit breakers of the application's upstreams, one per
 * name (Resilience4j behind a small facade), and the registry that holds them.
 */
package dev.fhirguard.internal.upstream;
