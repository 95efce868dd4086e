/**
 * Hands fhirguard's decisions to the {@link dev.fhirguard.GuardListener}s, isolated so that a
 * failing listener never fails a request; and the listener that records verdicts on the current
 * OpenTelemetry span, loaded only when the optional API is on the classpath. Imports only {@code
 * text} (and OpenTelemetry's API).
 */
package dev.fhirguard.internal.events;
