/**
 * Not API; may change without notice. Text and number helpers for log lines and headers (safe log
 * values, durations, sizes, {@code Retry-After}); imports nothing of fhirguard.
 */
package dev.fhirguard.internal.text;
