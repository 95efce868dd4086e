package dev.fhirguard.demo.export;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one export job reads.
 *
 * @param level the kick-off's level
 * @param types the types to export, in order
 * @param since only resources last updated at or after this instant; {@code null} for all
 * @param patientIds the Patients a Group export covers ({@code Patient/1}); {@code null} for all
 * @param elements the {@code _elements} asked for, as HAPI encode paths ({@link ExportElements});
 *     {@code null} for whole resources
 */
record ExportScope(ExportLevel level, List<String> types, Instant since, Set<String> patientIds,
    Set<String> elements) {

  ExportScope {
    types = List.copyOf(types);
    patientIds = patientIds == null ? null : Set.copyOf(patientIds);
    elements = elements == null ? null : Set.copyOf(elements);
  }

  /** Whole resources. */
  ExportScope(ExportLevel level, List<String> types, Instant since, Set<String> patientIds) {
    this(level, types, since, patientIds, null);
  }
}
