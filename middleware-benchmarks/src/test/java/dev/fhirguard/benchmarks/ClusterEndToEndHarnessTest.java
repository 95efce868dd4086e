package dev.fhirguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The cluster end-to-end harness against its real servers and real Redis servers (in this JVM,
 * over loopback), each scenario for a fraction of a second: the replicas' modes and the checks,
 * not the speeds.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterEndToEndHarnessTest {

  private static final Duration SHORT = Duration.ofMillis(400);

  private static ClusterEndToEndServers servers;
  private static ClusterScenarios scenarios;

  @BeforeAll
  static void start() throws Exception {
    servers = ClusterEndToEndServers.start();
    scenarios = new ClusterScenarios(ServerProcess.parsePorts(servers.ports()));
    scenarios.refresh();
  }

  @AfterAll
  static void stop() {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void every_replica_answers_its_reads_with_the_patient_from_a_probe_and_under_load()
      throws Exception {
    LoadGenerator load = new LoadGenerator(2);
    for (String name : ClusterScenarios.ALL) {
      Scenario scenario = scenarios.get(name);
      assertEquals(200, Probe.check(scenario).status(), name);

      Round round = load.run(scenario, SHORT);

      assertTrue(round.requests() > 10, name + ": " + round);
      assertTrue(round.clean(), name + ": " + round.firstMismatch());
    }
    scenarios.checkServers();
  }

  @Test
  void the_redis_replicas_share_their_buckets_and_the_failed_ones_use_their_fallback()
      throws Exception {
    for (String name : List.of("redis", "redis-sync", "redis-down", "redis-paused")) {
      String head = Probe.check(scenarios.get(name)).head();

      assertEquals(Set.of("redis", "redis-sync").contains(name),
          ClusterEndToEndServers.shared(head),
          name + ":\n" + head);
    }
  }

  @Test
  void a_head_without_the_remaining_tokens_cannot_tell_a_mode() throws Exception {
    String bare = Probe.check(scenarios.get("bare")).head();

    assertThrows(IllegalStateException.class, () -> ClusterEndToEndServers.shared(bare));
  }

  @Test
  void the_options_choose_the_cluster_servers_and_only_their_scenarios() {
    EndToEndBenchmark.Options cluster =
        EndToEndBenchmark.Options.parse(new String[] {"--servers", "cluster"});

    assertEquals(ClusterScenarios.ALL, cluster.scenarios());
    assertEquals(ClusterEndToEndServers.class, cluster.servers().main());
    assertEquals(Scenarios.ALL, EndToEndBenchmark.Options.parse(new String[0]).scenarios());
    assertThrows(IllegalArgumentException.class, () -> EndToEndBenchmark.Options.parse(
        new String[] {"--servers", "cluster", "--scenarios", "guarded"}));
    assertFalse(cluster.toString().isEmpty());
  }
}
