package dev.fhirguard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.client.testing.Clients;
import dev.fhirguard.client.testing.Clients.Observer;
import dev.fhirguard.client.testing.SampleFixture;
import dev.fhirguard.client.testing.TestClock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Retries against the real sample: its rate limit and its maintenance mode, over HTTP. */
@ExtendWith(SampleFixture.class)
class RetryTest {

  private static final Duration MAINTENANCE = SampleFixture.maintenanceRetryAfter();

  private final TestClock clock = TestClock.manual();
  private final Observer observer = new Observer();

  @AfterEach
  void maintenanceOff() {
    SampleFixture.maintenance(false);
  }

  private IGenericClient client(String token, RetryPolicy.Builder policy) {
    return Clients.client(SampleFixture.fhirBase(), token, observer,
        FhirGuardClient.builder().retryPolicy(policy.build()).build());
  }

  /** A policy that follows the maintenance's 300 s, on the test's clock. */
  private RetryPolicy.Builder patient() {
    return RetryPolicy.builder().maxAttempts(3).maxRetryAfter(Duration.ofMinutes(10))
        .budget(Duration.ofHours(1)).clock(clock);
  }

  private static BaseServerResponseException duringMaintenance(Executable call) {
    SampleFixture.maintenance(true);
    return assertThrows(BaseServerResponseException.class, call);
  }

  @Test
  void a_rate_limited_search_waits_the_retry_after_the_server_sent_then_succeeds() {
    TestClock realTime = TestClock.real();
    IGenericClient writer = client(SampleFixture.writerToken(),
        RetryPolicy.builder().clock(realTime));
    for (int call = 0; call < 40 && realTime.sleeps().isEmpty(); call++) {
      Bundle found = writer.search().forResource(Patient.class).count(1)
          .returnBundle(Bundle.class).execute();
      assertNotNull(found);
    }
    Observer.Seen refused = observer.answers().stream().filter(seen -> seen.status() == 429)
        .findFirst().orElseThrow(() -> new AssertionError("never rate limited"));
    assertEquals(List.of(Duration.ofSeconds(Long.parseLong(refused.retryAfter()))),
        realTime.sleeps(), "one wait, as long as the server's Retry-After");
  }

  @Test
  void maintenance_is_retried_at_the_servers_pace_then_given_up_naming_the_transaction_id() {
    IGenericClient admin = client(SampleFixture.adminToken(), patient());
    BaseServerResponseException e = duringMaintenance(() -> admin.read().resource(Patient.class)
        .withId(SampleFixture.knownPatientId()).withAdditionalHeader("X-Request-ID", "maint-1")
        .execute());

    assertEquals(503, e.getStatusCode());
    assertEquals(List.of(MAINTENANCE, MAINTENANCE), clock.sleeps());
    assertTrue(e.getMessage().startsWith("HTTP 503 Service Unavailable: The server is down for"
        + " scheduled maintenance."), e.getMessage());
    assertTrue(e.getMessage().endsWith(
        "(transaction id maint-1; 3 attempts; gave up: no attempts left)"), e.getMessage());
    FailureDetails failure = FailureDetails.of(e);
    assertEquals("MAINTENANCE", failure.catalogCode().orElseThrow());
    assertEquals("maint-1", failure.transactionId().orElseThrow());
    assertEquals(MAINTENANCE, failure.retryAfter().orElseThrow());
    assertEquals(3, failure.attempts());
    assertNotNull(e.getOperationOutcome(), "HAPI's parsed OperationOutcome is kept");
  }

  @Test
  void a_retry_after_longer_than_allowed_is_not_waited_for() {
    IGenericClient admin = client(SampleFixture.adminToken(), RetryPolicy.builder().clock(clock));
    BaseServerResponseException e = duringMaintenance(() -> admin.read().resource(Patient.class)
        .withId(SampleFixture.knownPatientId()).execute());

    assertEquals(Collections.emptyList(), clock.sleeps());
    assertEquals(1, observer.answers().size());
    assertTrue(e.getMessage().contains(
        "gave up: the server asks to wait 300 s, longer than the 60 s allowed"), e.getMessage());
  }

  @Test
  void a_post_is_not_retried() {
    IGenericClient admin = client(SampleFixture.adminToken(), patient());
    BaseServerResponseException e = duringMaintenance(
        () -> admin.create().resource(new Patient().setActive(true)).execute());

    assertEquals(503, e.getStatusCode());
    assertEquals(Collections.emptyList(), clock.sleeps());
    assertEquals(1, observer.answers().size(), "one request only");
    assertEquals(1, FailureDetails.of(e).attempts());
    assertTrue(e.getMessage().contains("not retried: a POST request is not idempotent"),
        e.getMessage());
  }

  @Test
  void a_post_is_retried_when_the_user_opts_in() {
    IGenericClient admin = client(SampleFixture.adminToken(),
        patient().retryNonIdempotent(true));
    BaseServerResponseException e = duringMaintenance(
        () -> admin.create().resource(new Patient().setActive(true)).execute());

    assertEquals(List.of(MAINTENANCE, MAINTENANCE), clock.sleeps());
    assertEquals("MAINTENANCE", FailureDetails.of(e).catalogCode().orElseThrow());
  }

  @Test
  void a_put_is_idempotent_and_retried() {
    IGenericClient admin = client(SampleFixture.adminToken(), patient());
    Patient patient = new Patient().setActive(true);
    patient.setId("client-put-1");
    duringMaintenance(() -> admin.update().resource(patient).execute());

    assertEquals(List.of(MAINTENANCE, MAINTENANCE), clock.sleeps());
  }

  @Test
  void an_interrupted_wait_gives_up_and_keeps_the_interrupt() {
    clock.interruptingSleeps();
    IGenericClient admin = client(SampleFixture.adminToken(), patient());
    try {
      BaseServerResponseException e = duringMaintenance(() -> admin.read()
          .resource(Patient.class).withId(SampleFixture.knownPatientId()).execute());

      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
      assertEquals(List.of(MAINTENANCE), clock.sleeps());
      assertTrue(e.getMessage().contains("gave up: interrupted while waiting to retry"),
          e.getMessage());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void a_retried_call_that_succeeds_returns_the_success() {
    IGenericClient admin = client(SampleFixture.adminToken(), patient());
    SampleFixture.maintenance(true);
    clock.onSleep(() -> SampleFixture.maintenance(false));

    Patient patient = admin.read().resource(Patient.class)
        .withId(SampleFixture.knownPatientId()).execute();

    assertEquals(SampleFixture.knownPatientId(), patient.getIdElement().getIdPart());
    assertEquals(List.of(MAINTENANCE), clock.sleeps());
    assertFalse(observer.answers().isEmpty());
  }
}
