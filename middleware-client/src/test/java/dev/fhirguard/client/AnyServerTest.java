package dev.fhirguard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.client.testing.Clients;
import dev.fhirguard.client.testing.ScriptedServer;
import dev.fhirguard.client.testing.ScriptedServer.Received;
import dev.fhirguard.client.testing.ScriptedServer.Reply;
import dev.fhirguard.client.testing.TestClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor with a FHIR server that is not fhirguard's, answering as a test scripts. */
class AnyServerTest {

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
      .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private final TestClock clock = TestClock.manual();
  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private IGenericClient client() {
    return Clients.client(server.fhirBase(), null, FhirGuardClient.builder()
        .retryPolicy(RetryPolicy.builder().clock(clock).build()).build());
  }

  private Patient read(IGenericClient client) {
    return client.read().resource(Patient.class).withId("1").execute();
  }

  @Test
  void a_retry_after_date_is_waited_for_until_that_time() {
    String inFiveSeconds = HTTP_DATE.format(clock.now().plusSeconds(5));
    server.answer(ScriptedServer.failure(503, Map.of("Retry-After", inFiveSeconds)));

    assertEquals("1", read(client()).getIdElement().getIdPart());
    assertEquals(List.of(Duration.ofSeconds(5)), clock.sleeps());
  }

  @Test
  void without_retry_after_a_bad_gateway_is_retried_after_a_jittered_backoff() {
    server.answer(ScriptedServer.failure(502, Map.of()), ScriptedServer.failure(504, Map.of()));

    read(client());

    List<Duration> waits = clock.sleeps();
    assertEquals(2, waits.size());
    assertTrue(waits.get(0).compareTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF) <= 0, waits::toString);
    assertTrue(waits.get(1).compareTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF.multipliedBy(2)) <= 0,
        waits::toString);
  }

  @Test
  void every_attempt_sends_the_same_transaction_id_and_the_same_body() {
    server.answer(ScriptedServer.failure(429, Map.of("Retry-After", "1")));
    IGenericClient client = Clients.client(server.fhirBase(), null, FhirGuardClient.builder()
        .retryPolicy(RetryPolicy.builder().clock(clock).retryNonIdempotent(true).build()).build());

    client.create().resource(new Patient().setActive(true)).execute();

    List<Received> received = server.received();
    assertEquals(2, received.size());
    assertEquals(received.get(0), received.get(1));
    assertTrue(received.get(0).body().contains("\"active\":true"), received.get(0).body());
  }

  @Test
  void a_gateway_timeout_of_a_post_is_never_retried() {
    server.answer(ScriptedServer.failure(504, Map.of("Retry-After", "1")));
    IGenericClient client = Clients.client(server.fhirBase(), null, FhirGuardClient.builder()
        .retryPolicy(RetryPolicy.builder().clock(clock).retryNonIdempotent(true).build()).build());

    assertThrows(BaseServerResponseException.class,
        () -> client.create().resource(new Patient()).execute());
    assertEquals(1, server.received().size());
  }

  @Test
  void the_exception_says_what_hapis_own_says_then_the_transaction_id() {
    Reply plain = new Reply(503, "text/plain", "Down for a moment", Map.of("Retry-After", "600"));
    server.answer(plain, plain);

    BaseServerResponseException own = assertThrows(BaseServerResponseException.class,
        () -> read(Clients.client(server.fhirBase(), null)));
    BaseServerResponseException ours = assertThrows(BaseServerResponseException.class,
        () -> read(client()));

    String sent = server.received().get(1).requestId();
    assertEquals(own.getClass(), ours.getClass());
    assertEquals(own.getMessage() + " (transaction id " + sent + "; gave up: the server asks to"
        + " wait 600 s, longer than the 60 s allowed)", ours.getMessage());
    assertEquals(own.getResponseBody(), ours.getResponseBody());
    FailureDetails details = FailureDetails.of(ours);
    assertEquals(Optional.empty(), details.catalogCode());
    assertEquals(Optional.of(sent), details.transactionId());
    assertEquals(Optional.of(Duration.ofMinutes(10)), details.retryAfter());
  }

  @Test
  void a_server_gone_while_waiting_is_a_connection_failure_naming_the_transaction_id() {
    server.answer(ScriptedServer.failure(503, Map.of("Retry-After", "1")));
    clock.onSleep(server::close);

    FhirClientConnectionException e =
        assertThrows(FhirClientConnectionException.class, () -> read(client()));

    String sent = server.received().get(0).requestId();
    assertTrue(e.getMessage().contains("(transaction id " + sent + ")"), e.getMessage());
  }
}
