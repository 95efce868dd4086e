/**
 * Not API; may change without notice. Maintenance mode and the bounds on requests in progress
 * (503), globally and per client.
 */
package dev.fhirguard.internal.admission;
