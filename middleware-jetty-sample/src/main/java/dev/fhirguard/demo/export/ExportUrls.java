package dev.fhirguard.demo.export;

/** The URLs of an export job, under the FHIR base URL its kick-off was sent to. */
final class ExportUrls {

  /** The status URL's path under the FHIR base; the job id is its {@code _jobId}. */
  static final String STATUS_PATH = "/$export-poll-status";

  /** The files' path prefix under the FHIR base: {@code /$export-file/<job id>/<name>}. */
  static final String FILE_PATH = "/$export-file";

  /** The name of a job's error file; data files are {@code 1.ndjson}, {@code 2.ndjson}, ... */
  static final String ERROR_FILE = "error.ndjson";

  private ExportUrls() {}

  static String status(String base, String jobId) {
    return base + STATUS_PATH + "?_jobId=" + jobId;
  }

  static String file(String base, String jobId, String name) {
    return base + FILE_PATH + "/" + jobId + "/" + name;
  }

  static String dataFile(int index) {
    return (index + 1) + ".ndjson";
  }
}
