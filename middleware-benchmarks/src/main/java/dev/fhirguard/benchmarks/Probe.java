package dev.fhirguard.benchmarks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

/**
 * One request of a scenario, checked in full before it is measured: the fragments the load
 * generator looks for, and the body parsed by HAPI as the expected Patient or as an
 * OperationOutcome with the expected catalog code. Gives the response's sizes and head.
 */
final class Probe {

  private static final IParser JSON = FhirContext.forR4Cached().newJsonParser();

  /** What one response was. */
  record Response(String scenario, int status, int headBytes, int bodyBytes, int wireBytes,
      String head) {}

  private Probe() {}

  /**
   * Sends one request of {@code scenario}.
   *
   * @throws IllegalStateException when the response is not what the scenario expects
   */
  static Response check(Scenario scenario) throws IOException {
    try (RawConnection connection = new RawConnection(EndToEndServers.HOST, scenario.port())) {
      connection.keepHeads();
      connection.exchange(scenario.request());
      Expectation expected = scenario.expected();
      String body = connection.bodyText();
      if (!expected.matches(connection) || !parsesAsExpected(body, expected)) {
        throw new IllegalStateException("Scenario " + scenario.name() + " expects " + expected
            + " but got:\n" + connection.head() + body);
      }
      return new Response(scenario.name(), connection.status(), connection.headBytes(),
          connection.bodyLength(), connection.wireBytes(), connection.head());
    }
  }

  private static boolean parsesAsExpected(String body, Expectation expected) {
    IBaseResource resource = JSON.parseResource(body);
    if (resource instanceof Patient patient) {
      return expected.resourceType().equals("Patient")
          && expected.idOrCode().equals(patient.getIdElement().getIdPart());
    }
    if (resource instanceof OperationOutcome outcome && outcome.getIssue().size() == 1) {
      Coding coding = outcome.getIssueFirstRep().getDetails().getCodingFirstRep();
      return expected.resourceType().equals("OperationOutcome")
          && Expectation.CATALOG.equals(coding.getSystem()) && expected.idOrCode().equals(coding.getCode());
    }
    return false;
  }
}
