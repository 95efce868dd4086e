/**
 * Demo environment, not part of fhirguard: the demo's upstream, a second in-process server that
 * serves the Observations and misbehaves on request ({@code /admin/backend}), called through
 * {@code FhirGuard.upstream}.
 *
 * <p>Nothing here is fhirguard's API or a pattern to copy; the wiring to copy is {@code
 * dev.fhirguard.sample.FhirServerWiring}.
 */
package dev.fhirguard.demo.backend;
