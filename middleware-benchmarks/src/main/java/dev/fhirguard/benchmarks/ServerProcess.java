package dev.fhirguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end servers ({@link EndToEndServers} or {@link ClusterEndToEndServers}) in a JVM of
 * their own, started from this JVM's class path, its standard output and error (the sample's
 * console log: one INFO line per refusal) sent to a file. Their {@code main(portsFile)} writes
 * {@code name=port ...} to the file once every server listens.
 */
final class ServerProcess implements AutoCloseable {

  private static final long START_TIMEOUT_MILLIS = 120_000;

  private final Process process;
  private final String ports;

  private ServerProcess(Process process, String ports) {
    this.process = process;
    this.ports = ports;
  }

  /**
   * Starts {@code servers}' {@code main} in a JVM with {@code jvmOptions} and waits until its
   * servers listen.
   */
  static ServerProcess start(Class<?> servers, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    Path portsFile = Files.createTempFile("fhirguard-e2e-ports", ".txt");
    Files.delete(portsFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        servers.getName(), portsFile.toString()));
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      return new ServerProcess(process, awaitPorts(process, portsFile, log));
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      Files.deleteIfExists(portsFile);
    }
  }

  /** Polls for the ports file the server writes once it listens. */
  private static String awaitPorts(Process process, Path portsFile, Path log)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!Files.exists(portsFile)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IOException("The server JVM did not start; see " + log);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    return Files.readString(portsFile, StandardCharsets.US_ASCII).trim();
  }

  /** The line the servers wrote: {@code name=port}, space separated. */
  String ports() {
    return ports;
  }

  /** The ports of a {@code name=port ...} line, by name, in its order. */
  static Map<String, Integer> parsePorts(String line) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String pair : line.trim().split(" ")) {
      String[] nameAndPort = pair.split("=", 2);
      ports.put(nameAndPort[0], Integer.parseInt(nameAndPort[1]));
    }
    return ports;
  }

  /**
   * CPU time the server JVM has used so far (all threads; clock-tick resolution), with that of
   * the processes it started (the cluster servers' {@code redis-server}s).
   */
  long cpuNanos() {
    return cpuNanos(process.toHandle())
        + process.descendants().mapToLong(ServerProcess::cpuNanos).sum();
  }

  /** CPU time {@code process} has used so far, 0 when the system does not say. */
  static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
