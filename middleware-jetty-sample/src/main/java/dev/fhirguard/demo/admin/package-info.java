/**
 * Demo environment, not part of fhirguard: the demo's runtime switches under {@code /admin}
 * (maintenance on and off; callers on this machine only).
 *
 * <p>Nothing here is fhirguard's API or a pattern to copy; the wiring to copy is {@code
 * dev.fhirguard.sample.FhirServerWiring}.
 */
package dev.fhirguard.demo.admin;
