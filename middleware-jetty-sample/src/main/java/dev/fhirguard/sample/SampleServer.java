package dev.fhirguard.sample;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.demo.auth.SampleClientsConfigException;
import dev.fhirguard.cluster.ClusterUnavailableException;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The runnable fhirguard sample: embedded Jetty 12 with a HAPI FHIR R4 server at {@code /fhir}
 * and a non-FHIR "gateway" servlet at {@code /legacy}, both behind fhirguard ({@link
 * FhirServerWiring}, the part to copy), and the demo environment around them ({@link
 * SampleApplication}).
 *
 * <p>Run with {@code PORT=8080 java -jar middleware-jetty-sample.jar}; with {@code
 * FHIRGUARD_CLUSTER_REDIS_URL=redis://host:6379} its replicas share rate limits, export slots and
 * maintenance (README, "Run two replicas with a shared Redis").
 */
public final class SampleServer {

  static final int DEFAULT_PORT = 8080;

  /** Largest request header block the sample accepts. */
  static final int REQUEST_HEADER_BYTES = 96 * 1024;

  private final Server server;
  private final ServerConnector connector;

  private SampleServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts the sample on {@code port} (0 for an ephemeral port) on all interfaces. */
  public static SampleServer start(int port) {
    return start(null, port);
  }

  /** Starts the sample on {@code host} ({@code null} for all interfaces) and {@code port}. */
  public static SampleServer start(String host, int port) {
    return start(host, port, Map.of());
  }

  /**
   * Starts the sample on {@code host} ({@code null} for all interfaces) and {@code port}, with
   * {@code fhirguardSettings} (full {@code fhirguard.*} keys) over every other source: the {@link
   * SampleApplication} behind fhirguard, as {@link FhirServerWiring} puts it.
   *
   * @throws FhirGuardConfigException when the fhirguard configuration is invalid
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SampleServer start(String host, int port, Map<String, String> fhirguardSettings) {
    return start(host, port, (server, publicBase) -> FhirServerWiring.handlers(
        server, SampleApplication.create(publicBase, fhirguardSettings)));
  }

  /**
   * Starts a server with the sample's connector on {@code host} ({@code null} for all interfaces)
   * and {@code port} (0 for an ephemeral port) that serves what {@code handlers} builds: the
   * sample's own start methods build {@link FhirServerWiring}'s tree; the end-to-end benchmark's
   * baseline builds a {@link SampleApplication}'s tree without fhirguard.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SampleServer start(String host, int port, Handlers handlers) {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Room for an oversized Authorization header to reach fhirguard, which refuses a token longer
    // than fhirguard.auth.max-token-length with a 401; beyond this, Jetty answers 431 itself.
    http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    SampleServer sample = new SampleServer(server, connector);
    try {
      connector.open(); // bound now: the token issuer's URLs name the real port
      server.setHandler(handlers.build(server, publicBase(host, connector.getLocalPort())));
      server.start();
    } catch (Exception e) {
      sample.stop();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("The sample server did not start: " + e, e);
    }
    return sample;
  }

  /** What a server serves, built once its port is bound (the token endpoint's URLs name it). */
  @FunctionalInterface
  public interface Handlers {

    /** The handler tree of {@code server}, reached at {@code publicBase} (scheme, host, port). */
    Handler build(Server server, String publicBase);
  }

  private static String publicBase(String host, int port) {
    String name = host == null || host.isBlank() || host.equals("0.0.0.0") ? "localhost" : host;
    return "http://" + (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
  }

  /** The port actually bound. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The FHIR base URL, e.g. {@code http://localhost:8080/fhir}. */
  public String baseUrl() {
    return "http://localhost:" + port() + "/fhir";
  }

  /** Stops the server; safe to call more than once. */
  public void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("The sample server did not stop cleanly: " + e, e);
    }
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Entry point: reads {@code PORT} (and {@code HOST}, the address to listen on: every interface
   * when unset), starts the server and prints a banner.
   */
  public static void main(String[] args) throws InterruptedException {
    int port;
    try {
      port = parsePort(System.getenv("PORT"));
    } catch (IllegalArgumentException e) {
      exit(e.getMessage());
      return;
    }
    SampleServer sample;
    try {
      String host = System.getenv("HOST"); // e.g. 127.0.0.1; unset: every interface
      sample = start(host == null || host.isBlank() ? null : host.trim(), port);
    } catch (FhirGuardConfigException | SampleClientsConfigException
        | ClusterUnavailableException e) {
      exit(e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      exit("Cannot listen on port " + port + ": " + e.getCause().getMessage()
          + ". Set PORT to a free port.");
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sample::stop, "sample-shutdown"));
    System.out.println(Banner.text(sample.port()));
    sample.join();
  }

  /**
   * The port named by {@code value}: {@link #DEFAULT_PORT} when unset or blank.
   *
   * @throws IllegalArgumentException with a one-line message when it is not a port number
   */
  static int parsePort(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_PORT;
    }
    String trimmed = value.trim();
    try {
      int port = Integer.parseInt(trimmed);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "Invalid PORT '" + printable(trimmed) + "': expected a number from 0 to 65535.");
  }

  private static String printable(String value) {
    String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static void exit(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
