package dev.fhirguard.demo.export;

import java.util.List;

/** The three kick-off URLs of Bulk Data 2.0 and the resource types each exports. */
enum ExportLevel {
  /** {@code /$export}: every type the sample serves. */
  SYSTEM(List.of("Patient", "Observation", "Group")),
  /** {@code /Patient/$export}: every Patient and the Observations about Patients. */
  PATIENT(List.of("Patient", "Observation")),
  /** {@code /Group/{id}/$export}: the Group's member Patients and the Observations about them. */
  GROUP(List.of("Patient", "Observation"));

  private final List<String> types;

  ExportLevel(List<String> types) {
    this.types = types;
  }

  /** The types exported when {@code _type} is absent, and the only ones it may name. */
  List<String> types() {
    return types;
  }
}
