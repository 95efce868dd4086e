package dev.fhirguard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.fhirguard.client.testing.Clients;
import dev.fhirguard.client.testing.Clients.Observer;
import dev.fhirguard.client.testing.SampleFixture;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a caller can read of a failure, with and without {@link FhirGuardClient}. */
@ExtendWith(SampleFixture.class)
class ReadableFailureTest {

  private final Observer observer = new Observer();

  private IGenericClient guarded(String token) {
    return Clients.client(SampleFixture.fhirBase(), token, observer,
        FhirGuardClient.interceptor());
  }

  private static ResourceNotFoundException readMissing(IGenericClient client) {
    return assertThrows(ResourceNotFoundException.class,
        () -> client.read().resource(Patient.class).withId("no-such-patient").execute());
  }

  @Test
  void the_exception_is_hapis_own_class_with_the_headers_hapi_drops() {
    ResourceNotFoundException e = readMissing(guarded(SampleFixture.adminToken()));

    String sent = observer.answers().get(0).requestIdSent();
    assertTrue(e.hasResponseHeaders());
    assertEquals(sent, e.getResponseHeaders().get("x-request-id").get(0));
    assertTrue(e.getMessage().startsWith("HTTP 404 Not Found: "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" (transaction id " + sent + ")"), e.getMessage());
    FailureDetails failure = FailureDetails.of(e);
    assertEquals(404, failure.status());
    assertEquals(Optional.of("RESOURCE_NOT_FOUND"), failure.catalogCode());
    assertEquals(Optional.of(sent), failure.transactionId());
    assertEquals(Optional.empty(), failure.retryAfter());
    assertEquals("HTTP 404 RESOURCE_NOT_FOUND (transaction id " + sent + ")",
        failure.toString());
  }

  @Test
  void without_the_interceptor_the_headers_are_lost_but_the_outcome_still_names_code_and_id() {
    ResourceNotFoundException e =
        readMissing(Clients.client(SampleFixture.fhirBase(), SampleFixture.adminToken()));

    assertFalse(e.hasResponseHeaders(), "HAPI's own exception has no headers");
    FailureDetails failure = FailureDetails.of(e);
    assertFalse(failure.hasHeaders());
    assertEquals(Optional.of("RESOURCE_NOT_FOUND"), failure.catalogCode());
    assertTrue(failure.transactionId().isPresent(), "fhirguard's outcome id");
  }

  @Test
  void a_refused_token_keeps_its_challenge() {
    AuthenticationException e = assertThrows(AuthenticationException.class, () ->
        guarded("not-a-token").read().resource(Patient.class)
            .withId(SampleFixture.knownPatientId()).execute());

    FailureDetails failure = FailureDetails.of(e);
    assertEquals(Optional.of("TOKEN_MALFORMED"), failure.catalogCode());
    assertTrue(failure.header("www-authenticate").orElseThrow().startsWith("Bearer "),
        failure.header("WWW-Authenticate")::toString);
  }

  @Test
  void a_request_id_the_server_does_not_adopt_comes_back_as_the_correlation_id() {
    ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class, () ->
        guarded(SampleFixture.adminToken()).read().resource(Patient.class).withId("nobody")
            .withAdditionalHeader("X-Request-ID", "ticket #42").execute());

    FailureDetails failure = FailureDetails.of(e);
    assertEquals(Optional.of("ticket #42"), failure.correlationId());
    assertNotEquals(Optional.of("ticket #42"), failure.transactionId());
    assertTrue(failure.transactionId().isPresent());
    assertTrue(e.getMessage().endsWith(" (transaction id " + failure.transactionId().get()
        + ", correlation id ticket #42)"), e.getMessage());
  }

  @Test
  void no_retries_at_all_still_gives_readable_failures() {
    IGenericClient client = Clients.client(SampleFixture.fhirBase(), SampleFixture.adminToken(),
        observer, FhirGuardClient.builder().retryPolicy(RetryPolicy.none()).build());
    ResourceNotFoundException e = readMissing(client);

    assertEquals(Optional.of("RESOURCE_NOT_FOUND"), FailureDetails.of(e).catalogCode());
    assertEquals(1, observer.answers().size());
  }
}
