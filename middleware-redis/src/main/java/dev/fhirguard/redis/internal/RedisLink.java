package dev.fhirguard.redis.internal;

import dev.fhirguard.cluster.ClusterSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.TimeUnit;

/**
 * The connections to Redis: one for the token buckets (Bucket4j's byte values), one for the
 * leases and the switch. Every command times out after the settings' timeout and a command sent
 * on a lost connection fails at once. A lost connection is not re-established by Lettuce (its
 * watchdog would log every attempt) but by {@link #connect()}, which the store's background
 * thread calls every sync interval while {@link #isConnected()} is false.
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
        .build();
    this.client = RedisClient.create(resources, endpoint.uri());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(settings.connectTimeout())
            .keepAlive(true)
            .build())
        .build());
  }

  /** Opens the connections that are not open (never opened, or lost). */
  synchronized void connect() {
    if (closed) {
      throw new RedisConnectionException("closed");
    }
    if (!isOpen(commands)) {
      closeQuietly(commands);
      commands = null;
      commands = client.connect(StringCodec.UTF8, endpoint.uri());
    }
    if (!isOpen(buckets)) {
      closeQuietly(buckets);
      buckets = null;
      buckets = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE),
          endpoint.uri());
    }
  }

  /** Whether both connections are open now. */
  boolean isConnected() {
    return !closed && isOpen(commands) && isOpen(buckets);
  }

  /** Commands on the string connection; fails when it is not open. */
  RedisCommands<String, String> commands() {
    return open(commands).sync();
  }

  /** The connection of the token buckets; fails when it is not open. */
  StatefulRedisConnection<String, byte[]> buckets() {
    return open(buckets);
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

  private <C extends StatefulConnection<?, ?>> C open(C connection) {
    if (closed || !isOpen(connection)) {
      throw new RedisConnectionException("not connected to " + endpoint);
    }
    return connection;
  }

  private static boolean isOpen(StatefulConnection<?, ?> connection) {
    return connection != null && connection.isOpen();
  }

  private static void closeQuietly(StatefulConnection<?, ?> connection) {
    if (connection != null) {
      connection.closeAsync();
    }
  }
}
