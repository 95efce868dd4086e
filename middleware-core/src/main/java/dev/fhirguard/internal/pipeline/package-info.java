/**
 * Not API; may change without notice. The composition of the chain: builds every stage from the
 * typed settings, in the order a request meets them.
 */
package dev.fhirguard.internal.pipeline;
