package dev.fhirguard.feature.tracking;

import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.UpstreamTestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through {@code guard.upstream(...)} carry the request's {@code X-Request-ID} and {@code
 * traceparent} to a real loopback backend that records the headers it got.
 */
class TracePropagationTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String VALID = "00-" + TRACE_ID + "-b7ad6b7169203331-01";

  private static UpstreamTestServer server;

  @BeforeAll
  static void start() {
    server = UpstreamTestServer.start(FhirGuard.create(FhirGuardConfig.load(Map.of(
        "fhirguard.upstreams.records.display-name", "patient record service"))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Asks the servlet to call the backend twice; returns the headers of both calls. */
  private static List<Map<String, List<String>>> propagated(String... headers) {
    int before = server.backend().receivedHeaders().size();
    HttpResponse<String> response = server.get("/upstream/propagate", headers);
    assertEquals(200, response.statusCode(), response::body);
    List<Map<String, List<String>>> received = server.backend().receivedHeaders();
    assertEquals(before + 2, received.size());
    return received.subList(before, before + 2);
  }

  @Test
  void the_received_traceparent_and_the_request_id_reach_the_upstream() {
    for (Map<String, List<String>> call : propagated("X-Request-ID", "prop-1", "traceparent", VALID)) {
      assertEquals(List.of("prop-1"), call.get("x-request-id"));
      assertEquals(List.of(VALID), call.get("traceparent"), "forwarded unchanged");
    }
  }

  @Test
  void the_generated_request_id_reaches_the_upstream() {
    HttpResponse<String> response = server.get("/upstream/propagate");
    List<Map<String, List<String>>> received = server.backend().receivedHeaders();
    assertEquals(List.of(requestId(response)), received.get(received.size() - 1).get("x-request-id"));
  }

  @Test
  void without_a_traceparent_the_calls_of_one_request_start_one_new_trace() {
    List<Map<String, List<String>>> first = propagated();
    List<Map<String, List<String>>> second = propagated();
    String started = first.get(0).get("traceparent").get(0);
    assertTrue(started.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), started);
    assertEquals(List.of(started), first.get(1).get("traceparent"), "one trace per request");
    assertNotEquals(started.substring(3, 35), second.get(0).get("traceparent").get(0).substring(3, 35),
        "a new trace per request");
  }

  @Test
  void an_invalid_traceparent_is_not_forwarded() {
    String invalid = "00-" + TRACE_ID + "-0000000000000000-01";
    for (Map<String, List<String>> call : propagated("traceparent", invalid)) {
      String sent = call.get("traceparent").get(0);
      assertNotEquals(invalid, sent);
      assertTrue(!sent.contains(TRACE_ID) && sent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), sent);
    }
  }

  @Test
  void outside_a_request_there_are_no_headers_to_propagate() {
    assertEquals(Map.of(), server.guard().upstream("records").headers());
  }
}
