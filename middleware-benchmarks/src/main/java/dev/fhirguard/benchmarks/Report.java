package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the end-to-end benchmark's set-up, rounds and results as Markdown. */
final class Report {

  private boolean roundHeaderPrinted;

  void setUp(EndToEndBenchmark.Options options) {
    System.out.println("# End-to-end benchmark");
    System.out.println();
    System.out.println("- " + options);
    System.out.println("- load generator JVM: " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " processors, max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    System.out.println("- load average before the server starts: " + loadAverage());
    System.out.println();
  }

  void responses(List<Probe.Response> probes) {
    System.out.println("One response of each scenario, checked in full (HAPI parse):");
    System.out.println();
    System.out.println("| scenario | status | head bytes | body bytes | bytes on the wire |");
    System.out.println("|---|---|---|---|---|");
    for (Probe.Response probe : probes) {
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", probe.scenario(),
          probe.status(), probe.headBytes(), probe.bodyBytes(), probe.wireBytes());
    }
    for (Probe.Response probe : probes) {
      System.out.println();
      System.out.println("Head of " + probe.scenario() + ":");
      System.out.println("```");
      System.out.print(probe.head().replace("\r\n", "\n"));
      System.out.println("```");
    }
    System.out.println();
  }

  void round(String label, Round round, String loadBefore) {
    if (!roundHeaderPrinted) {
      System.out.println("| round | scenario | requests | req/s | p50 ms | p99 ms | mean ms"
          + " | server CPU µs/req | load generator CPU µs/req | load average before |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      roundHeaderPrinted = true;
    }
    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %s | %s | %s | %.0f | %.0f | %s |%n",
        label, round.scenario(), round.requests(), round.throughput(), millis(round.p50Nanos()),
        millis(round.p99Nanos()), millis(round.meanNanos()), round.serverMicrosPerRequest(),
        round.clientMicrosPerRequest(), loadBefore);
  }

  void failed(Round round) {
    System.out.println();
    System.out.println("STOPPED: scenario " + round.scenario() + " had " + round.mismatches()
        + " unexpected response(s) and " + round.failures() + " request(s) without a response"
        + " out of " + round.requests() + "; first: " + round.firstMismatch());
    System.out.println("No figures are reported for a run with unexpected responses.");
  }

  void summary(List<String> scenarios, Map<String, List<Round>> measured) {
    System.out.println();
    System.out.println("| scenario | median req/s | min req/s | max req/s | median p50 ms"
        + " | median p99 ms | median server CPU µs/req |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String name : scenarios) {
      List<Round> rounds = measured.get(name);
      double[] throughput = rounds.stream().mapToDouble(Round::throughput).sorted().toArray();
      System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s | %s | %.0f |%n", name,
          median(throughput), throughput[0], throughput[throughput.length - 1],
          millis((long) median(rounds.stream().mapToDouble(Round::p50Nanos).sorted().toArray())),
          millis((long) median(rounds.stream().mapToDouble(Round::p99Nanos).sorted().toArray())),
          median(rounds.stream().mapToDouble(Round::serverMicrosPerRequest).sorted().toArray()));
    }
    for (String name : scenarios) {
      if (scenarios.contains("bare") && !name.equals("bare") && !name.startsWith("4")) {
        ratios(name, "bare", measured);
      }
    }
    if (scenarios.contains("guarded") && scenarios.contains("unmetered")) {
      ratios("guarded", "unmetered", measured); // the meters' cost (target: 0.99 or more)
    }
    for (String name : scenarios) {
      if (scenarios.contains("guarded") && name.startsWith("4")) {
        ratios(name, "guarded", measured);
      }
    }
    for (String name : scenarios) {
      if (scenarios.contains("local") && name.startsWith("redis")) {
        ratios(name, "local", measured);
        added(name, "local", measured);
      }
    }
  }

  /** What a request of {@code over} takes more than one of {@code under}, round by round. */
  private static void added(String over, String under, Map<String, List<Round>> measured) {
    List<Round> top = measured.get(over);
    List<Round> bottom = measured.get(under);
    double[] p50 = new double[top.size()];
    double[] p99 = new double[top.size()];
    double[] cpu = new double[top.size()];
    for (int i = 0; i < p50.length; i++) {
      p50[i] = (top.get(i).p50Nanos() - bottom.get(i).p50Nanos()) / 1e3;
      p99[i] = (top.get(i).p99Nanos() - bottom.get(i).p99Nanos()) / 1e3;
      cpu[i] = top.get(i).serverMicrosPerRequest() - bottom.get(i).serverMicrosPerRequest();
    }
    System.out.printf(Locale.ROOT, "%nAdded per request, %s − %s, per round: p50 %s µs; p99 %s µs;"
        + " server CPU %s µs. Medians: p50 %+.1f µs, p99 %+.1f µs, server CPU %+.1f µs%n",
        over, under, joined(p50), joined(p99), joined(cpu), median(sorted(p50)),
        median(sorted(p99)), median(sorted(cpu)));
  }

  private static String joined(double[] values) {
    StringBuilder text = new StringBuilder();
    for (double value : values) {
      text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.1f", value));
    }
    return text.toString();
  }

  private static double[] sorted(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }

  /** Throughput of {@code over} divided by {@code under}, round by round. */
  private static void ratios(String over, String under, Map<String, List<Round>> measured) {
    List<Round> top = measured.get(over);
    List<Round> bottom = measured.get(under);
    double[] ratios = new double[top.size()];
    StringBuilder perRound = new StringBuilder();
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = top.get(i).throughput() / bottom.get(i).throughput();
      perRound.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", ratios[i]));
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    double[] cpu = new double[top.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = bottom.get(i).serverMicrosPerRequest() / top.get(i).serverMicrosPerRequest();
    }
    Arrays.sort(cpu);
    System.out.printf(Locale.ROOT,
        "%nThroughput %s / %s, per round: %s; median %.3f, min %.3f, max %.3f."
            + " Server CPU per request %s / %s: median %.3f, min %.3f, max %.3f%n",
        over, under, perRound, median(sorted), sorted[0], sorted[sorted.length - 1],
        under, over, median(cpu), cpu[0], cpu[cpu.length - 1]);
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** The 1-minute load average, from /proc/loadavg where there is one. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
