package dev.fhirguard.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JWKS endpoint on 127.0.0.1 (the JDK's HTTP server) that counts the requests it gets. Its
 * key set can be replaced (key rotation), it can be switched to answer 500 or to hold requests
 * (a slow key server), and stopped.
 */
public final class JwksServer implements AutoCloseable {

  public static final String PATH = "/realms/fhir/protocol/openid-connect/certs";

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile JWKSet keys;
  private volatile boolean failing;
  private volatile String garbage;
  private volatile CountDownLatch held = new CountDownLatch(0);
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private JwksServer(JWKSet keys) throws IOException {
    this.keys = keys;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH, this::answer);
    server.start();
  }

  /** Serves the public halves of {@code keys}. */
  public static JwksServer start(JWKSet keys) {
    try {
      return new JwksServer(keys.toPublicJWKSet());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A URL on 127.0.0.1 where nothing listens (a port that was just free). */
  public static URI unreachableUrl() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + PATH);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /**
   * Settings that turn authentication on against this server, for {@link Tokens}' issuer and
   * audience; a new mutable map, to add to.
   */
  public Map<String, String> authSettings() {
    return new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.jwks-url", url().toString()));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** Serves these keys (public halves) from now on. */
  public void keys(JWKSet keys) {
    this.keys = keys.toPublicJWKSet();
  }

  /** Whether to answer 500 instead of the keys. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** Answers 200 with this body instead of the keys ({@code null}: the keys again). */
  public void garbage(String body) {
    this.garbage = body;
  }

  /** Holds the next request without an answer until {@link #release()}: a slow key server. */
  public void hold() {
    gate = new CountDownLatch(1);
    held = new CountDownLatch(1);
  }

  /** Waits (at most 20 s) until a held request has arrived. */
  public void awaitHeld() {
    try {
      if (!held.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("no request reached the held key server");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether a hold is still in force (not released). */
  public boolean holding() {
    return gate.getCount() > 0;
  }

  /** Lets held requests be answered. */
  public void release() {
    gate.countDown();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    held.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the key server");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    try (exchange) {
      String text = failing ? "upstream exploded" : garbage != null ? garbage : keys.toString(true);
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          failing ? "text/plain" : "application/jwk-set+json");
      exchange.sendResponseHeaders(failing ? 500 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
