/**
 * Not API; may change without notice. Transaction ids ({@code X-Request-ID}, {@code X-Correlation-
 * Id}, MDC), W3C trace context ({@code traceparent}), the thread's current request, and the
 * client's address and bucket keys.
 */
package dev.fhirguard.internal.tracking;
