/**
 * Demo environment, not part of fhirguard: the demo's SMART Backend Services authorization server
 * (the token endpoint at {@code /auth}, its JWKS and discovery documents, the demo clients), whose
 * tokens fhirguard verifies as it would any authorization server's.
 *
 * <p>Nothing here is fhirguard's API or a pattern to copy; the wiring to copy is {@code
 * dev.fhirguard.sample.FhirServerWiring}.
 */
package dev.fhirguard.demo.auth;
