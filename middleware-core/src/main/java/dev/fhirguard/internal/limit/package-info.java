/**
 * Not API; may change without notice. Rate limits (Bucket4j): the per-address and per-client
 * buckets, their stores and headers.
 */
package dev.fhirguard.internal.limit;
