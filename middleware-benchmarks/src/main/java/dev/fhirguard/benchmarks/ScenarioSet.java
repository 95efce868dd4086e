package dev.fhirguard.benchmarks;

import java.io.IOException;

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
}
