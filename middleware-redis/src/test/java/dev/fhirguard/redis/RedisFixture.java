package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.redis.tools.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real Redis server on a free loopback port for one test class, with an admin connection of its
 * own, and the stores (replicas) opened on it, closed with it. Stops, restarts on the same port
 * and pauses like a failing production Redis.
 */
final class RedisFixture implements AutoCloseable {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final LocalRedis redis;
  private final String password;
  private final List<ClusterStore> stores = new ArrayList<>();
  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> admin;

  private RedisFixture(String password) {
    this.password = password;
    this.redis = LocalRedis.start(freePort(), password);
  }

  static RedisFixture start() {
    return new RedisFixture(null);
  }

  static RedisFixture startWithPassword(String password) {
    return new RedisFixture(password);
  }

  String url() {
    return "redis://127.0.0.1:" + redis.port();
  }

  /** Test settings: a key prefix of their own, short timeouts and a quick breaker. */
  ClusterSettings.Builder settings() {
    return ClusterSettings.builder(url())
        .password(password)
        .keyPrefix("t" + PREFIXES.incrementAndGet() + ":")
        .timeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(5))
        .maintenanceSyncInterval(Duration.ofMillis(200))
        .breaker(50, 10, 4, Duration.ofMillis(500));
  }

  /** A store on this Redis, closed with the fixture. */
  ClusterStore open(ClusterSettings settings) {
    ClusterStore store = ClusterStore.open(settings);
    stores.add(store);
    return store;
  }

  /** Kills the server, as a crash would. */
  void stop() {
    closeAdmin();
    redis.stop();
  }

  /** Starts it again on the same port, empty. */
  void restart() {
    redis.start();
  }

  /** Holds every client's commands for {@code duration} (CLIENT PAUSE). */
  void pause(Duration duration) {
    admin().clientPause(duration.toMillis());
  }

  /** Commands on an admin connection of the tests' own. */
  RedisCommands<String, String> admin() {
    if (admin == null) {
      RedisURI uri = RedisURI.create(url());
      if (password != null) {
        uri.setCredentialsProvider(io.lettuce.core.RedisCredentialsProvider.from(
            () -> io.lettuce.core.RedisCredentials.just(null, password)));
      }
      adminClient = RedisClient.create(uri);
      admin = adminClient.connect();
    }
    return admin.sync();
  }

  /** The keys under {@code prefix}. */
  List<String> keys(String prefix) {
    return admin().keys(prefix + "*");
  }

  @Override
  public void close() {
    stores.forEach(ClusterStore::close);
    closeAdmin();
    redis.close();
  }

  private void closeAdmin() {
    if (admin != null) {
      admin.close();
      adminClient.shutdown(0, 1, TimeUnit.SECONDS);
      admin = null;
    }
  }

  /** Waits (polling, at most {@code limit}) until {@code condition} holds; else fails. */
  static void await(Duration limit, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + limit + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
