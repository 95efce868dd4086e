package dev.fhirguard.benchmarks;

import dev.fhirguard.benchmarks.EndToEndServers.Ports;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios of the end-to-end benchmark, built with fresh tokens (the sample's tokens live 5
 * minutes, so {@link #refresh()} before each round keeps them valid; the first request with a new
 * token pays one signature check, the rest hit the token cache).
 */
final class Scenarios implements ScenarioSet {

  /** Every scenario, in the order a round runs them. */
  static final List<String> ALL = List.of("bare", "guarded", "unmetered", "401-malformed", "401-signature",
      "401-unknown-key", "429-client", "429-address");

  static final String PATH = "/fhir/Patient/1";

  private final Ports ports;
  private final BenchmarkTokens tokens = new BenchmarkTokens();
  private Map<String, Scenario> byName;

  Scenarios(Ports ports) {
    this.ports = ports;
  }

  @Override
  public void refresh() throws IOException, InterruptedException {
    String reader = BenchmarkTokens.issue(
        ports.guarded(), EndToEndServers.READER, EndToEndServers.READER_SECRET);
    String drained = BenchmarkTokens.issue(
        ports.guarded(), EndToEndServers.DRAINED, EndToEndServers.DRAINED_SECRET);
    // the unmetered server is a sample of its own: its token endpoint signs with its own key
    String unmeteredReader = BenchmarkTokens.issue(
        ports.unmetered(), EndToEndServers.READER, EndToEndServers.READER_SECRET);
    String garbage = BenchmarkTokens.garbage(reader);
    Map<String, Scenario> built = new LinkedHashMap<>();
    add(built, Scenario.get("bare", "read, HAPI alone", ports.bare(), PATH, reader,
        Expectation.patient("1")));
    add(built, Scenario.get("guarded", "read, HAPI behind fhirguard", ports.guarded(), PATH,
        reader, Expectation.patient("1")));
    add(built, Scenario.get("unmetered", "read, HAPI behind fhirguard without its meters",
        ports.unmetered(), PATH, unmeteredReader, Expectation.patient("1")));
    add(built, Scenario.get("401-malformed", "401, a token that is not a JWT", ports.guarded(),
        PATH, garbage, Expectation.outcome(401, "TOKEN_MALFORMED")));
    add(built, Scenario.get("401-signature", "401, RS256 JWT signed by another key",
        ports.guarded(), PATH, tokens.foreignSignature(reader),
        Expectation.outcome(401, "TOKEN_SIGNATURE_INVALID")));
    add(built, Scenario.get("401-unknown-key", "401, RS256 JWT with an unknown kid",
        ports.guarded(), PATH, tokens.unknownKey(reader),
        Expectation.outcome(401, "TOKEN_KEY_UNKNOWN")));
    add(built, Scenario.get("429-client", "429, a valid token of a client out of tokens",
        ports.guarded(), PATH, drained, Expectation.outcome(429, "RATE_LIMITED")));
    add(built, Scenario.get("429-address", "429, an address out of tokens (not-a-JWT flood)",
        ports.shedding(), PATH, garbage, Expectation.outcome(429, "ADDRESS_RATE_LIMITED")));
    byName = built;
  }

  private static void add(Map<String, Scenario> scenarios, Scenario scenario) {
    scenarios.put(scenario.name(), scenario);
  }

  /**
   * Empties the drained client's bucket (one request an hour) and the shedding server's bucket
   * of 127.0.0.1: one request each, whatever it is answered.
   */
  @Override
  public void drain() throws IOException {
    for (String name : List.of("429-client", "429-address")) {
      try (RawConnection connection =
          new RawConnection(EndToEndServers.HOST, get(name).port())) {
        connection.exchange(get(name).request());
      }
    }
  }

  /** Nothing to check beyond the responses themselves. */
  @Override
  public void checkServers() {}

  @Override
  public Scenario get(String name) {
    return ScenarioSet.named(byName, name, ALL);
  }
}
