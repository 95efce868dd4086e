package dev.fhirguard.sample;

/** The start-up text: the base URL and ready-to-paste curl commands. */
final class Banner {

  private Banner() {}

  /** The banner for a server on {@code port}. */
  static String text(int port) {
    String root = "http://localhost:" + port;
    String fhir = root + "/fhir";
    return String.join(
        System.lineSeparator(),
        "",
        "fhirguard sample is running.",
        "  FHIR base URL:  " + fhir,
        "  Legacy servlet: " + root + "/legacy/{ok,unauthorized,html,send-error,empty}",
        "",
        "Every error below comes back as a FHIR OperationOutcome with an X-Request-ID header:",
        "",
        "  # a good read (200, no OperationOutcome)",
        "  curl -i " + fhir + "/Patient/1",
        "  # unknown id (404)",
        "  curl -i " + fhir + "/Patient/999",
        "  # unknown resource type (404)",
        "  curl -i " + fhir + "/Foo/1",
        "  # the same kind of error as XML",
        "  curl -i -H 'Accept: application/fhir+xml' " + fhir + "/Patient/999",
        "  # a database error: the SQL text stays in the log, not in the response (500)",
        "  curl -i " + fhir + "/Patient/sql-error",
        "  # your own request id is used and echoed",
        "  curl -i -H 'X-Request-ID: my-trace-123' " + fhir + "/Patient/999",
        "  # an invalid request id is replaced; yours comes back in X-Correlation-Id",
        "  curl -i -H 'X-Request-ID: bad id with spaces' " + fhir + "/Patient/999",
        "  # an unknown path outside the FHIR servlet",
        "  curl -i -X PUT " + root + "/nowhere",
        "  # a gateway's JSON error body turned into an OperationOutcome (401)",
        "  curl -i " + root + "/legacy/unauthorized",
        "",
        "Press Ctrl+C to stop.");
  }
}
