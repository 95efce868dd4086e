package dev.fhirguard.redis.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import redis.embedded.RedisServer;

/**
 * A real Redis server (6.2, the {@code redis-server} binary shipped in the embedded-redis jar) on
 * 127.0.0.1, for trying cluster mode and for tests: no Docker, no installed Redis. Nothing is
 * saved to disk. Run it with {@code java -jar fhirguard-redis-<version>-local-redis.jar [--port
 * 6379] [--password secret]}; Ctrl+C stops it.
 */
public final class LocalRedis implements AutoCloseable {

  private final int port;
  private final RedisServer server;

  private LocalRedis(int port, String password) {
    this.port = port;
    try {
      this.server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .settingIf(password != null, "requirepass " + password)
          .onShutdownForceStop(true)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack redis-server", e);
    }
  }

  /**
   * Starts a Redis server on 127.0.0.1:{@code port}, returning once it accepts connections.
   *
   * @param password the password clients must give ({@code requirepass}), or {@code null}
   */
  public static LocalRedis start(int port, String password) {
    LocalRedis redis = new LocalRedis(port, password);
    redis.start();
    return redis;
  }

  public int port() {
    return port;
  }

  /** Starts the server again on the same port, empty, after {@link #stop()}. */
  public synchronized void start() {
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("redis-server did not start on 127.0.0.1:" + port
          + " (is the port taken?)", e);
    }
  }

  /** Kills the server (as a crash would); its data is gone. */
  public synchronized void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isRunning() {
    return server.isActive();
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code [--port N] [--password P]}: starts Redis and waits until the JVM is stopped. */
  public static void main(String[] args) throws InterruptedException {
    List<String> rest = new ArrayList<>(List.of(args));
    int port = Integer.parseInt(option(rest, "--port", "6379"));
    String password = option(rest, "--password", null);
    if (!rest.isEmpty()) {
      System.err.println("usage: LocalRedis [--port 6379] [--password secret]");
      System.exit(2);
    }
    LocalRedis redis = start(port, password);
    Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "local-redis-stop"));
    System.out.println("Redis 6.2 listening on redis://127.0.0.1:" + port
        + (password == null ? "" : " (with a password)") + "; Ctrl+C stops it");
    new CountDownLatch(1).await();
  }

  private static String option(List<String> args, String name, String otherwise) {
    int at = args.indexOf(name);
    if (at < 0) {
      return otherwise;
    }
    if (at + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = args.get(at + 1);
    args.subList(at, at + 2).clear();
    return value;
  }
}
