/**
 * Not API; may change without notice. Errors as values and their one way out: {@code Failure}, the
 * classifiers, the log, format negotiation and the OperationOutcome renderer.
 */
package dev.fhirguard.internal.outcome;
