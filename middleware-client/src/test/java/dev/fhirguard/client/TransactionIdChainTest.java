package dev.fhirguard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.CapturingInterceptor;
import dev.fhirguard.client.testing.Clients;
import dev.fhirguard.client.testing.Clients.Observer;
import dev.fhirguard.client.testing.FrontServer;
import dev.fhirguard.client.testing.SampleFixture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chain of servers shares one transaction id: a guarded service reads a Patient from the
 * sample inside its own request, and the sample adopts the service's transaction id.
 */
@ExtendWith(SampleFixture.class)
class TransactionIdChainTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static FrontServer front;

  /** Calls the sample with the client; answers the X-Request-ID the sample answered with. */
  private static final class CallingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      CapturingInterceptor downstream = new CapturingInterceptor();
      IGenericClient client = Clients.client(SampleFixture.fhirBase(),
          SampleFixture.adminToken(), downstream, FhirGuardClient.interceptor());
      client.read().resource(Patient.class).withId(SampleFixture.knownPatientId()).execute();
      response.setContentType("text/plain");
      response.getWriter().print(
          downstream.getLastResponse().getHeaders("X-Request-ID").get(0));
    }
  }

  @BeforeAll
  static void startFront() throws Exception {
    front = FrontServer.start(new CallingServlet());
  }

  @AfterAll
  static void stopFront() {
    front.close();
  }

  private static HttpResponse<String> callFront(String requestId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(front.url()))
        .timeout(Duration.ofSeconds(30));
    if (requestId != null) {
      request.header("X-Request-ID", requestId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_downstream_server_adopts_the_transaction_id_of_the_request_being_served()
      throws Exception {
    HttpResponse<String> answer = callFront("chain-42");

    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("chain-42", answer.headers().firstValue("X-Request-ID").orElseThrow());
    assertEquals("chain-42", answer.body(), "the sample's transaction id");
  }

  @Test
  void an_id_the_front_generated_is_the_one_passed_on() throws Exception {
    HttpResponse<String> answer = callFront(null);

    assertEquals(200, answer.statusCode(), answer.body());
    String generated = answer.headers().firstValue("X-Request-ID").orElseThrow();
    assertEquals(generated, answer.body());
  }

  @Test
  void outside_a_guarded_request_every_call_gets_a_new_id() {
    Observer observer = new Observer();
    IGenericClient client = Clients.client(SampleFixture.fhirBase(),
        SampleFixture.adminToken(), observer, FhirGuardClient.interceptor());
    client.read().resource(Patient.class).withId(SampleFixture.knownPatientId()).execute();
    client.read().resource(Patient.class).withId(SampleFixture.knownPatientId()).execute();

    String first = observer.answers().get(0).requestIdSent();
    String second = observer.answers().get(1).requestIdSent();
    assertEquals(first, UUID.fromString(first).toString());
    assertNotEquals(first, second);
  }

  @Test
  void an_id_the_caller_set_is_kept() {
    Observer observer = new Observer();
    IGenericClient client = Clients.client(SampleFixture.fhirBase(),
        SampleFixture.adminToken(), observer, FhirGuardClient.interceptor());
    client.read().resource(Patient.class).withId(SampleFixture.knownPatientId())
        .withAdditionalHeader("X-Request-ID", "mine-1").execute();

    assertEquals(List.of("mine-1"), observer.answers().get(0).requestIdsSent());
  }
}
