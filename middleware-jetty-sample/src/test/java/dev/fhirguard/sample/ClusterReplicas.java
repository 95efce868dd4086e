package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirguard.redis.tools.LocalRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Sample servers on 127.0.0.1 sharing one real Redis (a redis-server from embedded-redis on a
 * free loopback port), for the cluster tests; everything is stopped by {@link #close}.
 */
final class ClusterReplicas implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final LocalRedis redis = LocalRedis.start(freePort(), null);
  private final List<SampleServer> servers = new ArrayList<>();

  /**
   * The settings of every replica: 100 requests an hour per client ("writer": 10), two replicas
   * (a fallback bucket holds half), no bound on requests in progress, the shared maintenance
   * switch read every 200 ms. Redis gets 5 s to answer: on a loaded machine a shorter wait sends
   * decisions to the fallbacks (which admit up to half the capacity on each replica, by design),
   * and these tests are about what is shared.
   */
  Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("fhirguard.cluster.redis-url", "redis://127.0.0.1:" + redis.port());
    settings.put("fhirguard.cluster.replicas", "2");
    settings.put("fhirguard.cluster.maintenance-sync-interval", "200ms");
    settings.put("fhirguard.cluster.timeout", "5s");
    settings.put("fhirguard.cluster.breaker.wait-duration-in-open-state", "2s");
    settings.put("fhirguard.rate-limit.capacity", "100");
    settings.put("fhirguard.rate-limit.period", "1h");
    settings.put("fhirguard.overload.max-in-flight", "0");
    settings.put("fhirguard.overload.max-in-flight-per-client", "0");
    return settings;
  }

  /** One more replica in this JVM; its root URL. */
  String start() {
    SampleServer server = SampleServer.start("127.0.0.1", 0, settings());
    servers.add(server);
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    servers.forEach(SampleServer::stop);
    redis.close();
  }

  static HttpResponse<String> get(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.GET().build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
