package dev.fhirguard.feature.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A 405 for a wrong verb on a HAPI resource says which verbs would do (RFC 9110 §15.5.6), from
 * the server's bindings: TestFhirServer's Patient provider reads, searches and creates.
 */
class AllowHeaderTest {

  @RegisterExtension static final TestServer server = TestServer.perClass();

  @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
  @CsvSource({
    "PATCH, /fhir/Patient/1, GET HEAD",
    "PUT, /fhir/Patient/1, GET HEAD",
    "DELETE, /fhir/Patient/1, GET HEAD",
    "DELETE, /fhir/Patient, GET POST",
    "PUT, /fhir/Patient, GET POST"
  })
  void a_wrong_verb_on_a_resource_is_a_405_that_lists_the_allowed_verbs(
      String method, String path, String expected) {
    HttpResponse<String> response = server.send(method, path, "{\"resourceType\":\"Patient\"}",
        "Content-Type", "application/fhir+json");

    assertEquals(405, response.statusCode(), response.body());
    Set<String> allowed =
        response.headers().allValues("Allow").stream()
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(String::trim)
            .collect(Collectors.toSet());
    assertEquals(Set.of(expected.split(" ")), allowed, response.headers().map().toString());
  }
}
