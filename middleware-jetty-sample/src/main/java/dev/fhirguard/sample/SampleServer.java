package dev.fhirguard.sample;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.cluster.ClusterUnavailableException;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.sample.auth.AuthorizationServer;
import dev.fhirguard.sample.auth.SampleClientsConfigException;
import dev.fhirguard.sample.backend.BackendDemo;
import dev.fhirguard.sample.backend.RemoteObservationProvider;
import dev.fhirguard.sample.export.BulkExportDemo;
import dev.fhirguard.sample.export.ExportSources;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The runnable fhirguard sample: embedded Jetty 12 with a HAPI FHIR R4 server at {@code /fhir}
 * and a non-FHIR "gateway" servlet at {@code /legacy}, both behind fhirguard.
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
   * {@code fhirguardSettings} (full {@code fhirguard.*} keys) over every other source.
   *
   * @throws FhirGuardConfigException when the fhirguard configuration is invalid
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SampleServer start(String host, int port, Map<String, String> fhirguardSettings) {
    return start(host, port, fhirguardSettings, true);
  }

  /**
   * The same sample (server, contexts, servlets, data and configuration) with fhirguard left out:
   * no filter, no interceptor on the FHIR server, no FHIR error handlers. Only for the end-to-end
   * benchmark's baseline (docs/benchmarks.md); {@code /fhir} then answers without a token.
   */
  static SampleServer startWithoutFhirguard(String host, int port, Map<String, String> settings) {
    return start(host, port, settings, false);
  }

  private static SampleServer start(
      String host, int port, Map<String, String> fhirguardSettings, boolean guarded) {
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
      server.setHandler(
          handlers(server, publicBase(host, connector.getLocalPort()), fhirguardSettings, guarded));
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

  /**
   * The FHIR server at {@code /fhir} and the legacy servlet at {@code /legacy} behind fhirguard,
   * and the SMART token endpoint at {@code /auth}, whose tokens fhirguard verifies through the
   * JWKS URL over HTTP, as it would with any authorization server. Unless {@code guarded}, the
   * guard is built (the observation and export demos use it) but not installed.
   */
  private static Handler handlers(Server server, String publicBase,
      Map<String, String> fhirguardSettings, boolean guarded) {
    AuthorizationServer auth = AuthorizationServer.create(publicBase);
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.issuer", auth.issuer(),
        "fhirguard.auth.audience", auth.audience(),
        "fhirguard.auth.jwks-url", auth.jwksUrl()));
    settings.putAll(fhirguardSettings);
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(settings));

    ServletContextHandler context = new ServletContextHandler("/");
    SampleFhirServer fhirServer = new SampleFhirServer();
    if (guarded) {
      fhirServer.registerInterceptor(guard.interceptor());
    }
    ServletHolder fhirHolder = new ServletHolder("fhir", fhirServer);
    fhirHolder.setInitOrder(1);
    context.addServlet(fhirHolder, "/fhir/*");
    context.addServlet(new ServletHolder("smart-configuration", auth.smartConfigurationServlet()),
        "/fhir/.well-known/smart-configuration");
    context.addServlet(new ServletHolder("legacy", new LegacyGatewayServlet()), "/legacy/*");
    // Observations come from a second, in-process backend; /admin/backend switches its behaviour.
    RemoteObservationProvider observations = BackendDemo.install(context, guard, fhirServer);
    // Bulk Data export of Patients, Observations (from the backend) and Groups.
    BulkExportDemo.install(context, guard, fhirServer, "/fhir", new ExportSources(
        fhirServer.patients(), () -> observations.search(null, null), fhirServer.groups()));
    // Maintenance mode, switched at runtime (also by the file in fhirguard.maintenance.file).
    context.addServlet(new ServletHolder("maintenance-admin", new MaintenanceAdminServlet(guard)),
        "/admin/maintenance");
    if (guarded) {
      FhirGuardJetty.install(server, context, guard);
    }
    return new ContextHandlerCollection(auth.context(), context);
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
