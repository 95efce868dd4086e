package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The end-to-end benchmark (docs/benchmarks.md, "End to end", "Cost of refusal" and "Cluster
 * (Redis)"): starts {@link EndToEndServers} ({@code --servers sample}, the default) or {@link
 * ClusterEndToEndServers} ({@code --servers cluster}) in a JVM of its own, checks one response of every scenario in full,
 * then runs the scenarios in turn, round after round, each for the same time with the same
 * closed-loop {@link LoadGenerator}, and prints every round and the ratios as Markdown tables.
 * Stops without figures at the first response that is not what its scenario expects.
 *
 * <pre>
 * java -cp middleware-benchmarks/target/benchmarks.jar dev.fhirguard.benchmarks.EndToEndBenchmark \
 *     --scenarios bare,guarded --warmup 2 --rounds 6 --seconds 15 --connections 8
 * java -cp middleware-benchmarks/target/benchmarks.jar dev.fhirguard.benchmarks.EndToEndBenchmark \
 *     --servers cluster --scenarios bare,local,redis,redis-down,redis-paused
 * </pre>
 */
public final class EndToEndBenchmark {

  private final Options options;
  private final Report report = new Report();

  private EndToEndBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    boolean clean = new EndToEndBenchmark(options).run();
    System.exit(clean ? 0 : 1);
  }

  private boolean run() throws Exception {
    report.setUp(options);
    try (ServerProcess server = ServerProcess.start(
        options.servers().main(), options.serverJvm(), options.serverLog())) {
      ScenarioSet scenarios = options.servers().scenarios(server.ports());
      scenarios.refresh();
      scenarios.drain();
      List<Probe.Response> probes = new ArrayList<>();
      for (String name : options.scenarios()) {
        probes.add(Probe.check(scenarios.get(name)));
      }
      report.responses(probes);
      LoadGenerator load = new LoadGenerator(options.connections());
      for (int round = 1; round <= options.warmup(); round++) {
        if (!round(server, scenarios, load, "warm-up " + round, options.warmupSeconds(), null)) {
          return false;
        }
      }
      Map<String, List<Round>> measured = options.scenarios().stream()
          .collect(Collectors.toMap(Function.identity(), name -> new ArrayList<>()));
      for (int round = 1; round <= options.rounds(); round++) {
        if (!round(server, scenarios, load, Integer.toString(round), options.seconds(),
            measured)) {
          return false;
        }
      }
      report.summary(options.scenarios(), measured);
      return true;
    }
  }

  /** One round of every scenario; false at the first that saw an unexpected response. */
  private boolean round(ServerProcess server, ScenarioSet scenarios, LoadGenerator load,
      String label, Duration time, Map<String, List<Round>> measured)
      throws IOException, InterruptedException {
    scenarios.refresh();
    ProcessHandle self = ProcessHandle.current();
    for (String name : options.scenarios()) {
      String loadBefore = Report.loadAverage();
      long serverCpu = server.cpuNanos();
      long clientCpu = ServerProcess.cpuNanos(self);
      Round round = load.run(scenarios.get(name), time).withCpu(
          server.cpuNanos() - serverCpu, ServerProcess.cpuNanos(self) - clientCpu);
      report.round(label, round, loadBefore);
      if (!round.clean()) {
        report.failed(round);
        return false;
      }
      if (measured != null) {
        measured.get(name).add(round);
      }
    }
    scenarios.checkServers();
    return true;
  }

  /** The servers a run starts, and the scenarios measured on them. */
  enum Servers {
    /** {@link EndToEndServers}: bare, guarded and shedding. */
    SAMPLE(EndToEndServers.class, Scenarios.ALL),
    /** {@link ClusterEndToEndServers}: bare, local-store and Redis replicas. */
    CLUSTER(ClusterEndToEndServers.class, ClusterScenarios.ALL);

    private final Class<?> main;
    private final List<String> scenarios;

    Servers(Class<?> main, List<String> scenarios) {
      this.main = main;
      this.scenarios = scenarios;
    }

    Class<?> main() {
      return main;
    }

    /** Every scenario of these servers, in the order a round runs them. */
    List<String> scenarios() {
      return scenarios;
    }

    /** The scenarios on the servers that wrote {@code ports}. */
    ScenarioSet scenarios(String ports) {
      return this == SAMPLE ? new Scenarios(EndToEndServers.Ports.parse(ports))
          : new ClusterScenarios(ServerProcess.parsePorts(ports));
    }

    static Servers named(String name) {
      for (Servers servers : values()) {
        if (servers.name().equalsIgnoreCase(name)) {
          return servers;
        }
      }
      throw new IllegalArgumentException("Unknown servers " + name + " (sample or cluster)");
    }
  }

  /** The command line. */
  record Options(Servers servers, List<String> scenarios, int warmup, int rounds, Duration warmupSeconds,
      Duration seconds, int connections, Path serverLog, List<String> serverJvm) {

    static final String USAGE = "Options: --servers sample|cluster --scenarios a,b,... (sample: "
        + String.join(",", Scenarios.ALL) + "; cluster: " + String.join(",", ClusterScenarios.ALL)
        + ") --warmup N --rounds N --warmup-seconds S --seconds S --connections N"
        + " --server-log FILE --server-jvm \"JVM options\"";

    static Options parse(String[] args) {
      Servers servers = Servers.SAMPLE;
      List<String> scenarios = null;
      int warmup = 2;
      int rounds = 6;
      Integer warmupSeconds = null;
      int seconds = 15;
      int connections = 8;
      Path serverLog = Path.of("middleware-benchmarks/target/end-to-end-server.log");
      List<String> serverJvm = List.of("-Xms1g", "-Xmx1g");
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("No value for " + args[i]);
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--servers" -> servers = Servers.named(value);
          case "--scenarios" -> scenarios = List.of(value.split(","));
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
          case "--seconds" -> seconds = Integer.parseInt(value);
          case "--connections" -> connections = Integer.parseInt(value);
          case "--server-log" -> serverLog = Path.of(value);
          case "--server-jvm" -> serverJvm = Arrays.asList(value.trim().split("\\s+"));
          default -> throw new IllegalArgumentException("Unknown option " + args[i]);
        }
      }
      if (scenarios == null) {
        scenarios = servers.scenarios();
      }
      for (String name : scenarios) {
        if (!servers.scenarios().contains(name)) {
          throw new IllegalArgumentException("Unknown scenario " + name);
        }
      }
      return new Options(servers, scenarios, warmup, rounds,
          Duration.ofSeconds(warmupSeconds == null ? seconds : warmupSeconds),
          Duration.ofSeconds(seconds), connections, serverLog, serverJvm);
    }

    @Override
    public String toString() {
      return "servers " + servers.name().toLowerCase(java.util.Locale.ROOT) + "; scenarios "
          + String.join(",", scenarios) + "; " + warmup + " warm-up round(s) of "
          + warmupSeconds.toSeconds() + " s, " + rounds + " round(s) of " + seconds.toSeconds()
          + " s per scenario; " + connections + " connections; server JVM "
          + String.join(" ", serverJvm) + ", its console to " + serverLog + "; started "
          + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
  }
}
