package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The scenarios of one set of end-to-end servers ({@link Scenarios}, {@link ClusterScenarios}). */
interface ScenarioSet {

  /** Fetches new tokens and rebuilds the scenarios with them (before every round). */
  void refresh() throws IOException, InterruptedException;

  /** Puts the servers in the state their refusal scenarios need (once, before any load). */
  void drain() throws IOException;

  /**
   * Checks that every server is still in the state its scenarios measure (after every round).
   *
   * @throws IllegalStateException when one is not
   */
  void checkServers() throws IOException;

  /** The scenario named {@code name}. */
  Scenario get(String name);

  /**
   * The scenario of {@code built} named {@code name}.
   *
   * @throws IllegalArgumentException naming every one of {@code known} when there is none
   */
  static Scenario named(Map<String, Scenario> built, String name, List<String> known) {
    Scenario scenario = built.get(name);
    if (scenario == null) {
      throw new IllegalArgumentException(
          "Unknown scenario '" + name + "'; known: " + String.join(", ", known));
    }
    return scenario;
  }
}
