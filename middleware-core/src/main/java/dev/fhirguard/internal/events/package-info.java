/**
 * Hands fhirguard's decisions to the {@link dev.fhirguard.GuardListener}s, isolated so that a
 * failing listener never fails a request. Imports only {@code text}.
 */
package dev.fhirguard.internal.events;
