package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios of the cluster end-to-end benchmark: the same {@code Patient} read from each of
 * {@link ClusterEndToEndServers}, with a token each guarded replica issued itself (fetched again
 * before every round; the bare server gets the local replica's, and ignores it). After every
 * round each Redis replica is checked to be still in its mode: {@code redis} sharing its
 * buckets, the others deciding from their fallback buckets.
 */
final class ClusterScenarios implements ScenarioSet {

  /** Every scenario, in the order a round runs them; each names the server it reads from. */
  static final List<String> ALL =
      List.of("bare", "local", "redis", "redis-sync", "redis-down", "redis-paused");

  private static final Map<String, String> WHAT = Map.of(
      "bare", "read, HAPI alone",
      "local", "read, fhirguard with its buckets in memory",
      "redis", "read, fhirguard sharing its buckets through Redis",
      "redis-sync", "read, as redis with Bucket4j's delaying optimization (rate-limit-sync 100ms)",
      "redis-down", "read, fhirguard whose Redis was killed (fallback buckets)",
      "redis-paused", "read, fhirguard whose Redis answers nothing (breaker open)");

  private final Map<String, Integer> ports;
  private Map<String, Scenario> byName;

  /** @param ports a port for each of {@link #ALL} */
  ClusterScenarios(Map<String, Integer> ports) {
    if (!ports.keySet().containsAll(ALL)) {
      throw new IllegalArgumentException("ports of " + ALL + " expected, got " + ports);
    }
    this.ports = ports;
  }

  /** A read of {@code Patient/1} from the server on {@code port} with {@code token}. */
  static Scenario read(String name, int port, String token) {
    return Scenario.get(name, WHAT.get(name), port, Scenarios.PATH, token,
        Expectation.patient("1"));
  }

  /** A token of the demo reader from the replica on {@code port}. */
  static String token(int port) throws IOException, InterruptedException {
    return BenchmarkTokens.issue(port, EndToEndServers.READER, EndToEndServers.READER_SECRET);
  }

  @Override
  public void refresh() throws IOException, InterruptedException {
    Map<String, Scenario> built = new LinkedHashMap<>();
    for (String name : ALL) {
      int port = ports.get(name);
      String token = token(ports.get(name.equals("bare") ? "local" : name));
      built.put(name, read(name, port, token));
    }
    byName = built;
  }

  /** No refusal scenario here. */
  @Override
  public void drain() {}

  @Override
  public void checkServers() throws IOException {
    for (String name : List.of("redis", "redis-sync", "redis-down", "redis-paused")) {
      boolean shared = ClusterEndToEndServers.shared(Probe.check(get(name)).head());
      if (shared != sharesBuckets(name)) {
        throw new IllegalStateException(name + (shared
            ? " shares its buckets: its Redis answers again" : " decides from its fallback"));
      }
    }
  }

  /** Whether the replica {@code name} is meant to share its buckets (its Redis answers). */
  static boolean sharesBuckets(String name) {
    return name.equals("redis") || name.equals("redis-sync");
  }

  @Override
  public Scenario get(String name) {
    return ScenarioSet.named(byName, name, ALL);
  }
}
