/**
 * Not API; may change without notice. The pipeline contract: {@code Stage} and what every stage
 * reads of a request; imports nothing above {@code config}.
 */
package dev.fhirguard.internal.chain;
