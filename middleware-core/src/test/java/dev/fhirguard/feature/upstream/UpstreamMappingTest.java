package dev.fhirguard.feature.upstream;

import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.UpstreamBodies.assertNothingLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.EhrExceptions;
import dev.fhirguard.testing.Backend;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exception mappings made in properties and in code, for the application's own exceptions, in
 * the filter path ({@code /upstream/throw/...}) and the HAPI path ({@code
 * /fhir/Observation/...}).
 */
class UpstreamMappingTest {

  private static TestServer server;
  private static Backend backend;

  @BeforeAll
  static void start() {
    FhirGuard guard = FhirGuard.builder()
        .config(FhirGuardConfig.load(Map.of("fhirguard.upstream.exception-mappings",
            EhrExceptions.EhrDownException.class.getName() + "=upstream_unreachable")))
        .upstreamFailure(EhrExceptions.EhrDownException.class, ErrorCode.SERVICE_UNAVAILABLE)
        .upstreamFailure(EhrExceptions.EhrActionMissingException.class,
            ErrorCode.UPSTREAM_NOT_SUPPORTED)
        .build();
    backend = Backend.start();
    server = backend.frontedBy(guard);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path) {
    HttpResponse<String> response = server.get(path);
    assertNothingLeaks(response, backend.port(), server.port());
    assertFalse(response.body().contains("Ehr"), response.body());
    return response;
  }

  @ParameterizedTest
  @ValueSource(strings = {"/upstream/throw/", "/fhir/Observation/"})
  void a_mapping_from_properties_wins_over_one_in_code_for_the_same_class(String base) {
    OperationOutcome outcome = assertError(get(base + "ehr-down"), 502, "UPSTREAM_UNREACHABLE");

    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/upstream/throw/", "/fhir/Observation/"})
  void a_mapping_covers_subclasses(String base) {
    assertError(get(base + "ehr-node-down"), 502, "UPSTREAM_UNREACHABLE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/upstream/throw/", "/fhir/Observation/"})
  void a_mapping_made_in_code_applies_when_properties_do_not_name_the_class(String base) {
    HttpResponse<String> response = get(base + "ehr-action-missing");

    OperationOutcome outcome = assertError(response, 501, "UPSTREAM_NOT_SUPPORTED");
    assertEquals("not-supported", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(ErrorCode.UPSTREAM_NOT_SUPPORTED.defaultText() + " Transaction id: "
        + outcome.getIdElement().getIdPart(), diagnostics(outcome));
  }
}
