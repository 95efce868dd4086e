package dev.fhirguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
