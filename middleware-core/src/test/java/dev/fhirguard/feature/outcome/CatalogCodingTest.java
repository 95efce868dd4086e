package dev.fhirguard.feature.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error outcome, from every layer, carries exactly one catalog coding and no-store. */
class CatalogCodingTest {

  private static final String SYSTEM = "https://fhirguard.dev/CodeSystem/error-code";

  @RegisterExtension static final TestServer server = TestServer.perClass();

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /fhir/Patient/999, RESOURCE_NOT_FOUND",
    "GET, /fhir/Foo/1, UNKNOWN_RESOURCE_TYPE",
    "GET, /fhir/Patient?foo=bar, INVALID_SEARCH_PARAMETER",
    "GET, /fhir/Patient?birthdate=2021-13-45, INVALID_PARAMETER_VALUE",
    "PATCH, /fhir/Patient/1, METHOD_NOT_ALLOWED",
    "GET, /fhir/Patient/gone, RESOURCE_DELETED",
    "GET, /fhir/Patient/unprocessable, UNPROCESSABLE_ENTITY",
    "GET, /fhir/Patient/sql, INTERNAL_ERROR",
    "GET, /plain/json/401, AUTHENTICATION_REQUIRED",
    "GET, /plain/send-error/409, CONFLICT",
    "GET, /plain/throw, INTERNAL_ERROR",
    "PUT, /nowhere, METHOD_NOT_ALLOWED",
    "PATCH, /nowhere, METHOD_NOT_ALLOWED",
    "GET, /nowhere, NOT_FOUND"
  })
  void each_error_has_exactly_one_catalog_coding_and_is_not_cached(
      String method, String path, String code) {
    HttpResponse<String> response = server.send(method, path, null);

    OperationOutcome outcome =
        FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
    List<Coding> ours =
        outcome.getIssue().stream()
            .flatMap(issue -> issue.getDetails().getCoding().stream())
            .filter(coding -> SYSTEM.equals(coding.getSystem()))
            .toList();
    assertEquals(1, ours.size(), response.body());
    assertEquals(code, ours.get(0).getCode(), response.body());
    assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"), path);
  }
}
