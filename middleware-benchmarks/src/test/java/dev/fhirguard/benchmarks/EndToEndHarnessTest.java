package dev.fhirguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end harness against the real servers (in this JVM, over loopback), each scenario for
 * a fraction of a second: the statuses and the checks, not the speeds.
 */
class EndToEndHarnessTest {

  private static final Duration SHORT = Duration.ofMillis(400);

  private static EndToEndServers servers;
  private static Scenarios scenarios;

  @BeforeAll
  static void start() throws Exception {
    servers = EndToEndServers.start();
    scenarios = new Scenarios(servers.ports());
    scenarios.refresh();
    scenarios.drain();
  }

  @AfterAll
  static void stop() {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void every_scenario_gets_only_its_expected_response_from_a_probe_and_under_load()
      throws Exception {
    LoadGenerator load = new LoadGenerator(2);
    for (String name : Scenarios.ALL) {
      Scenario scenario = scenarios.get(name);
      Probe.Response probe = Probe.check(scenario);
      assertEquals(scenario.expected().status(), probe.status(), name);

      Round round = load.run(scenario, SHORT);

      assertTrue(round.requests() > 10, name + ": " + round);
      assertEquals(0, round.mismatches(), name + ": " + round.firstMismatch());
      assertEquals(0, round.failures(), name + ": " + round.firstMismatch());
      assertTrue(round.p50Nanos() > 0 && round.p50Nanos() <= round.p99Nanos(), name);
    }
  }

  @Test
  void the_bare_and_the_guarded_server_send_the_same_patient_body() throws Exception {
    Probe.Response bare = Probe.check(scenarios.get("bare"));
    Probe.Response guarded = Probe.check(scenarios.get("guarded"));

    assertEquals(bare.bodyBytes(), guarded.bodyBytes());
    assertFalse(bare.head().contains("RateLimit"), bare.head());
    assertTrue(guarded.head().contains("X-RateLimit-Limit: 1000000000"), guarded.head());
  }

  @Test
  void the_replayed_429_is_the_shedding_servers_429_but_for_its_id_date_and_seconds_left()
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> refused = client.send(get(servers.ports().shedding(), "/fhir/Patient/1"),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> replayed = client.send(get(servers.ports().bare(), ReplayedRefusal.PATH),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(429, refused.statusCode());
    assertEquals(429, replayed.statusCode());
    String id = refused.headers().firstValue("X-Request-ID").orElseThrow();
    String replayedId = replayed.headers().firstValue("X-Request-ID").orElseThrow();
    assertEquals(secondsLeftOut(refused.body()),
        secondsLeftOut(replayed.body().replace(replayedId, id)));
    assertEquals(secondsLeftOut(withoutIdAndDate(refused.headers()).toString()),
        secondsLeftOut(withoutIdAndDate(replayed.headers()).toString()));
  }

  /** The seconds until the hour-long bucket refills, which the replayed 429 has at 3600. */
  private static String secondsLeftOut(String text) {
    return text.replaceAll("\\b3[56]\\d\\d\\b", "<seconds>");
  }

  private static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + EndToEndServers.HOST + ":" + port + path))
        .header("Accept", "application/fhir+json").build();
  }

  private static Map<String, List<String>> withoutIdAndDate(HttpHeaders headers) {
    Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    kept.putAll(headers.map());
    kept.remove("X-Request-ID");
    kept.remove("Date");
    return kept;
  }

  @Test
  void a_run_whose_responses_are_not_the_expected_ones_counts_every_one_as_a_mismatch()
      throws Exception {
    Scenario read = scenarios.get("guarded");
    Scenario expectingRefusal = new Scenario("wrong", "a read expected to be refused",
        read.port(), read.request(), Expectation.outcome(401, "TOKEN_MALFORMED"));

    Round round = new LoadGenerator(1).run(expectingRefusal, Duration.ofMillis(200));

    assertTrue(round.requests() > 0);
    assertEquals(round.requests(), round.mismatches());
    assertFalse(round.clean());
    assertTrue(round.firstMismatch().startsWith("status 200"), round.firstMismatch());
    assertThrows(IllegalStateException.class, () -> Probe.check(expectingRefusal));
  }

  @Test
  void an_outcome_with_another_catalog_code_does_not_match() throws Exception {
    Scenario refused = scenarios.get("401-signature");
    Scenario otherCode = new Scenario("other", "another code", refused.port(),
        refused.request(), Expectation.outcome(401, "TOKEN_KEY_UNKNOWN"));

    assertThrows(IllegalStateException.class, () -> Probe.check(otherCode));
    Round round = new LoadGenerator(1).run(otherCode, Duration.ofMillis(100));
    assertTrue(round.requests() > 0);
    assertEquals(round.requests(), round.mismatches());
  }

  @Test
  void fragments_match_pretty_printed_and_compact_json_alike() {
    byte[] fragment = "\"code\":\"RATE_LIMITED\"".getBytes(StandardCharsets.UTF_8);
    byte[] pretty = "{\n  \"code\": \"RATE_LIMITED\"\n}".getBytes(StandardCharsets.UTF_8);
    byte[] other = "{\"code\": \"ADDRESS_RATE_LIMITED\"}".getBytes(StandardCharsets.UTF_8);

    assertTrue(Expectation.containsIgnoringWhitespace(pretty, pretty.length, fragment));
    assertFalse(Expectation.containsIgnoringWhitespace(other, other.length, fragment));
  }
}
