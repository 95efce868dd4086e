package dev.fhirguard.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP floor of a 429: a servlet on the bare server that writes the shedding server's 429 as
 * constants, the same status, headers and body bytes, with no decision, id, log line or meter.
 * A 429 of fhirguard's over this one is what fhirguard itself costs a refusal.
 */
final class ReplayedRefusal extends HttpServlet {

  static final String PATH = "/replayed-429";

  private static final String REQUEST_ID = "a4da057f-3931-40f7-97d2-249c50939908";
  private static final byte[] BODY = ("""
      {
        "resourceType": "OperationOutcome",
        "id": "%s",
        "issue": [ {
          "severity": "error",
          "code": "throttled",
          "details": {
            "coding": [ {
              "system": "https://fhirguard.dev/CodeSystem/error-code",
              "code": "ADDRESS_RATE_LIMITED"
            } ],
            "text": "Too many requests from this network address. Retry after the number of \
      seconds in Retry-After."
          },
          "diagnostics": "Too many requests from this network address. Please retry after 3600 \
      seconds."
        } ]
      }""").formatted(REQUEST_ID).getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setStatus(429);
    response.setHeader("X-Request-ID", REQUEST_ID);
    response.setHeader("X-RateLimit-Limit", "1");
    response.setHeader("X-RateLimit-Remaining", "0");
    response.setHeader("X-RateLimit-Reset", "3600");
    response.setHeader("RateLimit-Policy", "\"address\";q=1;w=3600");
    response.setHeader("RateLimit", "\"address\";r=0;t=3600");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Retry-After", "3600");
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.setContentLength(BODY.length);
    response.getOutputStream().write(BODY);
  }
}
