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
        "  Wiring to copy: dev.fhirguard.sample.FhirServerWiring (the rest is a demo environment)",
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
        "Bulk Data export of Patients, Observations (from the backend) and Groups. A client runs one export at",
        "a time (poll it to the end or cancel it before the next) and polls its status at most every 2 s:",
        "",
        "  # kick-off (202; the status URL comes in Content-Location)",
        "  STATUS=$(" + kickoff(fhir, "") + "); echo $STATUS",
        "  # poll: 202 with X-Progress while it runs, then 200 with the manifest (sooner than 2 s: 429)",
        "  sleep 2; curl -i -H \"Authorization: Bearer $TOKEN\" \"$STATUS\"",
        "  # download the first file of the manifest: NDJSON, needs the token (401 without it)",
        "  curl -H \"Authorization: Bearer $TOKEN\" \"$(curl -s -H \"Authorization: Bearer $TOKEN\" \"$STATUS\""
            + " | sed 's/.*\"output\":\\[{\"type\":\"[^\"]*\",\"url\":\"\\([^\"]*\\)\".*/\\1/')\"",
        "  # a bad parameter (400 EXPORT_PARAMETER_INVALID: \"_since: not a valid FHIR instant ...\")",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" -H 'Prefer: respond-async' '" + fhir + "/$export?_since=yesterday'",
        "  # hold jobs to see one in progress, cancel it (202), then its status is gone (404 EXPORT_JOB_NOT_FOUND)",
        "  curl -X POST '" + root + "/admin/export?mode=hold'; STATUS=$(" + kickoff(fhir, "") + ")",
        "  curl -i -X DELETE -H \"Authorization: Bearer $TOKEN\" \"$STATUS\"; curl -X POST '" + root + "/admin/export?mode=run'",
        "  curl -i -H \"Authorization: Bearer $TOKEN\" \"$STATUS\"",
        "  # backend down: the Observations fail, the rest is exported (200, manifest with an error file)",
        "  curl -X POST '" + root + "/admin/backend?mode=down'; STATUS=$(" + kickoff(fhir, "") + "); sleep 2; curl -i -H \"Authorization: Bearer $TOKEN\" \"$STATUS\"",
        "  # only Observations asked for and the backend down: the whole job failed (500 EXPORT_JOB_FAILED)",
        "  STATUS=$(" + kickoff(fhir, "?_type=Observation") + "); sleep 2; curl -i -H \"Authorization: Bearer $TOKEN\" \"$STATUS\"",
        "  curl -X POST '" + root + "/admin/backend?mode=up'",
        "",
        "Rate limits: every client has 120 requests a minute, the demo client writer only 10 (see the",
        "X-RateLimit-* and RateLimit headers); the 11th gets 429 RATE_LIMITED with Retry-After:",
        "  W=$(curl -s -u writer:writer-secret " + root + "/auth/token -d grant_type=client_credentials | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')",
        "  for i in $(seq 11); do curl -s -o /dev/null -w '%{http_code} ' -H \"Authorization: Bearer $W\" " + fhir + "/Patient; done; echo",
        "  curl -i -H \"Authorization: Bearer $W\" " + fhir + "/Patient",
        "",
        "Maintenance (503 MAINTENANCE, Retry-After: 300; /fhir/metadata stays up), at runtime:",
        "  curl -X POST '" + root + "/admin/maintenance?on=true'; curl -i -H \"Authorization: Bearer $TOKEN\" " + fhir + "/Patient",
        "  curl -X POST '" + root + "/admin/maintenance?on=false'   # or: touch / rm ./fhirguard-maintenance",
        "",
        "Metrics in Prometheus' format (from this machine only): every refusal, rate-limit decision, token",
        "check, circuit transition and export slot, as counted by fhirguard's meters:",
        "  curl -s " + root + "/metrics | grep '^fhirguard_'",
        "",
        "Press Ctrl+C to stop.");
  }

  /** A kick-off of {@code /$export} + {@code query} that prints the status URL. */
  private static String kickoff(String fhir, String query) {
    return "curl -s -D - -o /dev/null -H \"Authorization: Bearer $TOKEN\" -H 'Prefer: respond-async' '"
        + fhir + "/$export" + query + "' | tr -d '\\r' | sed -n 's/^Content-Location: //p'";
  }
}
