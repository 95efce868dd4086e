/**
 * Not API; may change without notice. Bulk Data export limits: concurrent jobs per client and the
 * pace of status polls.
 */
package dev.fhirguard.internal.export;
