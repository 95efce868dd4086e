package dev.fhirguard.redis.internal;

import dev.fhirguard.cluster.ClusterSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The connections to Redis: one for the token buckets (Bucket4j's byte values), one for the
 * leases and the switch. Every command times out after the settings' timeout, a command sent
 * while a connection is down fails at once instead of queuing, and a lost connection is
 * re-established in the background (at least once a second). A first connection that fails is
 * tried again by {@link #connect()}.
 */
final class RedisLink implements AutoCloseable {

  private final RedisEndpoint endpoint;
  private final ClientResources resources;
  private final RedisClient client;
  private volatile StatefulRedisConnection<String, String> commands;
  private volatile StatefulRedisConnection<String, byte[]> buckets;
  private volatile boolean closed;

  RedisLink(RedisEndpoint endpoint, ClusterSettings settings) {
    this.endpoint = endpoint;
    this.resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, endpoint.uri());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(settings.connectTimeout())
            .keepAlive(true)
            .build())
        .build());
  }

  /** Opens the connections not open yet. */
  synchronized void connect() {
    if (closed) {
      throw new RedisConnectionException("closed");
    }
    if (commands == null) {
      commands = client.connect(StringCodec.UTF8, endpoint.uri());
    }
    if (buckets == null) {
      buckets = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE),
          endpoint.uri());
    }
  }

  /** Whether both connections were opened once (they may be reconnecting now). */
  boolean isConnected() {
    return buckets != null && !closed;
  }

  /** Commands on the string connection; fails when it was never opened. */
  RedisCommands<String, String> commands() {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection == null || closed) {
      throw new RedisConnectionException("not connected to " + endpoint);
    }
    return connection.sync();
  }

  /** The connection of the token buckets; fails when it was never opened. */
  StatefulRedisConnection<String, byte[]> buckets() {
    StatefulRedisConnection<String, byte[]> connection = buckets;
    if (connection == null || closed) {
      throw new RedisConnectionException("not connected to " + endpoint);
    }
    return connection;
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      client.shutdown(0, 2, TimeUnit.SECONDS); // closes the connections
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
