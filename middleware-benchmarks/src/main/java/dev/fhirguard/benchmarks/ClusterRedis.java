package dev.fhirguard.benchmarks;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.redis.tools.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Redis on a free loopback port for the cluster benchmarks, with an admin connection that
 * reads its command counters and memory figures.
 */
final class ClusterRedis implements AutoCloseable {

  private final LocalRedis redis;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> admin;

  ClusterRedis() {
    redis = LocalRedis.start(freePort(), null);
    client = RedisClient.create(url());
    admin = client.connect();
  }

  String url() {
    return "redis://127.0.0.1:" + redis.port();
  }

  /** A store on this Redis; {@code sync} zero: exact, else Bucket4j's delaying optimization. */
  ClusterStore open(Duration sync) {
    return ClusterStore.open(ClusterSettings.builder(url())
        .keyPrefix("bench:")
        .rateLimitSync(sync)
        .timeout(Duration.ofSeconds(2))
        .build());
  }

  RedisCommands<String, String> admin() {
    return admin.sync();
  }

  /**
   * Read events Redis has processed ({@code total_reads_processed}): with clients that wait for
   * each answer, one per round trip. Commands are no measure: those a script runs count too.
   */
  long reads() {
    return stat(admin().info("stats"), "total_reads_processed");
  }

  /** The calls of one command so far ({@code INFO commandstats}), a script's included. */
  long calls(String command) {
    Matcher calls = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(admin().info("commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  /**
   * Holds every client's commands for {@code duration} ({@code CLIENT PAUSE}): Redis is up and
   * connected, but answers nothing, so every call times out.
   */
  void pause(Duration duration) {
    admin().clientPause(duration.toMillis());
  }

  long usedMemory() {
    return stat(admin().info("memory"), "used_memory");
  }

  private static long stat(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalStateException("no " + name + " in INFO");
  }

  @Override
  public void close() {
    admin.close();
    client.shutdown();
    redis.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
