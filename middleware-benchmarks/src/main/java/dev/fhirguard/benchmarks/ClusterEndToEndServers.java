package dev.fhirguard.benchmarks;

import dev.fhirguard.sample.SampleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The servers of the cluster end-to-end benchmark, in one JVM on 127.0.0.1, each a replica of the
 * sample with {@link EndToEndServers#guardedSettings()} (limits on but never reached) and {@code
 * fhirguard.cluster.replicas=2}: {@code bare} (no fhirguard), {@code local} (the buckets in the
 * replica's memory), {@code redis} (shared through a real Redis started here), {@code redis-down}
 * (its Redis killed after start-up: the connection is lost and every decision goes to the
 * fallback at once) and {@code redis-paused} (its Redis up but answering nothing, {@code CLIENT
 * PAUSE}: calls time out until the breaker opens, then go to the fallback at once).
 *
 * <p>A replica's mode shows in its {@code X-RateLimit-Remaining}: a shared bucket holds the
 * whole capacity, a fallback bucket capacity ÷ replicas ({@link #shared(String)}).
 */
public final class ClusterEndToEndServers implements AutoCloseable {

  static final int REPLICAS = 2;

  private static final long CAPACITY = Long.parseLong(
      EndToEndServers.guardedSettings().get("fhirguard.rate-limit.capacity"));
  private static final Pattern REMAINING =
      Pattern.compile("(?im)^X-RateLimit-Remaining: (\\d+)\\r?$");
  private static final Duration FALLBACK_WITHIN = Duration.ofSeconds(60);

  private final Map<String, SampleServer> servers = new LinkedHashMap<>();
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  private ClusterEndToEndServers() {}

  /** Starts the servers on ephemeral ports; returns once each is in its mode. */
  public static ClusterEndToEndServers start() throws IOException, InterruptedException {
    ClusterEndToEndServers started = new ClusterEndToEndServers();
    try {
      started.add("bare", EndToEndServers.startBare(EndToEndServers.guardedSettings()));
      started.add("local",
          SampleServer.start(EndToEndServers.HOST, 0, EndToEndServers.guardedSettings()));
      ClusterRedis shared = started.closing(new ClusterRedis());
      started.add("redis", started.replica(shared, "0s"));
      started.add("redis-sync", started.replica(shared, "100ms"));
      try (ClusterRedis down = new ClusterRedis()) { // killed once the replica has connected
        started.add("redis-down", started.replica(down, "0s"));
      }
      ClusterRedis paused = started.closing(new ClusterRedis());
      started.add("redis-paused", started.replica(paused, "0s"));
      paused.pause(Duration.ofDays(1));
      for (String name : new String[] {"redis-down", "redis-paused"}) {
        started.awaitFallback(name);
      }
      return started;
    } catch (IOException | InterruptedException | RuntimeException e) {
      started.close();
      throw e;
    }
  }

  /**
   * A guarded replica sharing its buckets through {@code redis}, synchronizing them every {@code
   * sync} (0s: exact); it must connect at start.
   */
  private SampleServer replica(ClusterRedis redis, String sync) {
    Map<String, String> settings = EndToEndServers.guardedSettings();
    settings.put("fhirguard.cluster.redis-url", redis.url());
    settings.put("fhirguard.cluster.replicas", Integer.toString(REPLICAS));
    settings.put("fhirguard.cluster.required", "true");
    settings.put("fhirguard.cluster.rate-limit-sync", sync);
    return SampleServer.start(EndToEndServers.HOST, 0, settings);
  }

  private ClusterRedis closing(ClusterRedis redis) {
    toClose.push(redis);
    return redis;
  }

  private void add(String name, SampleServer server) {
    servers.put(name, server);
    toClose.push(server::stop);
  }

  /** Reads from {@code name} until its answers come from the fallback buckets. */
  private void awaitFallback(String name) throws IOException, InterruptedException {
    int port = servers.get(name).port();
    Scenario read = ClusterScenarios.read(name, port, ClusterScenarios.token(port));
    long deadline = System.nanoTime() + FALLBACK_WITHIN.toNanos();
    while (shared(Probe.check(read).head())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " still shares its buckets after "
            + FALLBACK_WITHIN.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether the response with this head was counted in a shared bucket: more than capacity ÷
   * replicas tokens remain (a fallback bucket never holds more).
   *
   * @throws IllegalStateException when the head has no {@code X-RateLimit-Remaining}
   */
  static boolean shared(String head) {
    Matcher remaining = REMAINING.matcher(head);
    if (!remaining.find()) {
      throw new IllegalStateException("no X-RateLimit-Remaining in\n" + head);
    }
    return Long.parseLong(remaining.group(1)) > CAPACITY / REPLICAS;
  }

  /** {@code name=port}, space separated, in the order above. */
  String ports() {
    return servers.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue().port())
        .collect(Collectors.joining(" "));
  }

  /** Stops the servers, then the Redis servers left running. */
  @Override
  public void close() {
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        System.err.println("while stopping: " + e);
      }
    }
  }

  /** Starts the servers, writes {@code bare=… local=… redis=…} to {@code args[0]}, serves. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("Usage: ClusterEndToEndServers <ports file>");
      System.exit(2);
    }
    ClusterEndToEndServers servers = start();
    Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "servers-shutdown"));
    Path target = Path.of(args[0]);
    Path written = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"),
        servers.ports(), StandardCharsets.US_ASCII);
    Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("Cluster end-to-end servers on " + EndToEndServers.HOST + ": "
        + servers.ports());
    servers.servers.get("local").join();
  }
}
