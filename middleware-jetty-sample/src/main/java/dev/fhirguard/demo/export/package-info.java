/**
 * Demo environment, not part of fhirguard: the demo's FHIR Bulk Data 2.0 export server
 * (kick-offs, jobs, status URL, NDJSON files), whose error answers come from {@code
 * FhirGuard.bulkExport()}.
 *
 * <p>Nothing here is fhirguard's API or a pattern to copy; the wiring to copy is {@code
 * dev.fhirguard.sample.FhirServerWiring}.
 */
package dev.fhirguard.demo.export;
