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
        "Requests under /fhir need a bearer token from the sample's SMART token endpoint"
            + " (demo clients in README.md):",
        "",
        "  TOKEN=$(curl -s -u admin:admin-secret " + root + "/auth/token -d grant_type=client_credentials"
            + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')",
        "",
        "Every error below comes back as a FHIR OperationOutcome with an X-Request-ID header:",
        "",
        "  # a good read (200, no OperationOutcome)",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient/1",
        "  # no token (401, WWW-Authenticate: Bearer realm=\"fhir\")",
        "  curl -i " + fhir + "/Patient/1",
        "  # a broken token (401, error=\"invalid_token\")",
        "  curl -i -H \"Authorization: Bearer ${TOKEN}x\" " + fhir + "/Patient/1",
        "  # a token without the scope (403, error=\"insufficient_scope\", scope=\"system/Patient.s\")",
        "  LIMITED=$(curl -s -u patient-reader:patient-reader-secret " + root + "/auth/token"
            + " -d grant_type=client_credentials | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')",
        "  curl -i -H \"Authorization: Bearer $LIMITED\" '" + fhir + "/Patient?name=smi'",
        "  # unknown id (404)",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient/999",
        "  # unknown resource type (404), as XML",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" -H 'Accept: application/fhir+xml' " + fhir + "/Foo/1",
        "  # a database error: the SQL text stays in the log, not in the response (500)",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient/sql-error",
        "  # your own request id is used and echoed",
        "  curl -i -H 'X-Request-ID: my-trace-123' -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient/999",
        "  # an invalid request id is replaced; yours comes back in X-Correlation-Id",
        "  curl -i -H 'X-Request-ID: bad id with spaces' -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient/999",
        "  # an unknown path outside the FHIR servlet",
        "  curl -i -X PUT " + root + "/nowhere",
        "  # a gateway's JSON error body turned into an OperationOutcome (401)",
        "  curl -i " + root + "/legacy/unauthorized",
        "",
        "Observations come from a second backend server; switch it (demo only, from this machine):",
        "",
        "  # the backend's port is closed (502 UPSTREAM_UNREACHABLE)",
        "  curl -X POST '" + root + "/admin/backend?mode=down'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "  # slower than the 2 s client timeout (504 UPSTREAM_TIMEOUT)",
        "  curl -X POST '" + root + "/admin/backend?mode=slow'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "  # the backend answers 503 with Retry-After: 120 (503 UPSTREAM_UNAVAILABLE, Retry-After passed on)",
        "  curl -X POST '" + root + "/admin/backend?mode=unavailable'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "  # the backend has no implementation for the action (501 UPSTREAM_NOT_SUPPORTED)",
        "  curl -X POST '" + root + "/admin/backend?mode=not-supported'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "  # the backend answers 500 with internal text (502 UPSTREAM_BAD_RESPONSE)",
        "  curl -X POST '" + root + "/admin/backend?mode=error'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "  # after 5 calls with half of them failing the circuit opens (503 CIRCUIT_OPEN, Retry-After counts down)",
        "  curl -X POST '" + root + "/admin/backend?mode=up'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Observation/1",
        "",
        "Press Ctrl+C to stop.");
  }
}
