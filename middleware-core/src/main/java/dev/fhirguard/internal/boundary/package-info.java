/**
 * Not API; may change without notice. The error boundary: the request and response wrappers that
 * turn every error below them into an OperationOutcome, and answer-start events.
 */
package dev.fhirguard.internal.boundary;
