package dev.fhirguard.feature.outcome;

import static dev.fhirguard.testing.Outcomes.assertError;

import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An error answer is an OperationOutcome in JSON or XML whatever {@code _format} asked for. Found
 * by the sample's export kick-off fuzzing, fixed: HAPI answers {@code _format=ndjson} with an XML
 * outcome labelled {@code application/fhir+ndjson}, which fhirguard let through as a FHIR body.
 */
class OutcomeMediaTypeTest {

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/fhir/Patient/$nothing?_format=ndjson",
      "/fhir/Patient/$nothing?_format=application/fhir%2Bndjson",
      "/fhir/Patient/$nothing?_format=application/ndjson",
  })
  void an_error_asked_for_as_ndjson_comes_as_a_fhir_json_outcome(String path) {
    HttpResponse<String> response = server.get(path);

    assertError(response, 400, null, false); // a parseable outcome, application/fhir+json
  }
}
