package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * A real Jetty on loopback with a {@link Backend} behind it: the HAPI {@link UpstreamFhirServer}
 * at {@code /fhir/*} (the interceptor path) and the plain {@link UpstreamServlet} at {@code
 * /upstream/*} (the filter path), both calling the backend with {@link #CLIENT_TIMEOUT}.
 */
public final class UpstreamTestServer extends LoopbackServer {

  /** The request timeout of the backend client; SLOW answers well after it. */
  public static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);

  private final FhirGuard guard;
  private final Backend backend;

  private UpstreamTestServer(FhirGuard guard, Backend backend) {
    super(null);
    this.guard = guard;
    this.backend = backend;
  }

  /** Starts a backend and a server with {@code guard}; closing the server closes both. */
  public static UpstreamTestServer start(FhirGuard guard) {
    return start(guard, Duration.ofSeconds(2));
  }

  /** As {@link #start(FhirGuard)}, with a backend whose SLOW mode waits {@code slowDelay}. */
  public static UpstreamTestServer start(FhirGuard guard, Duration slowDelay) {
    UpstreamTestServer server = new UpstreamTestServer(guard, Backend.start(slowDelay));
    server.startJetty();
    return server;
  }

  @Override
  protected Handler handler(Server server) {
    BackendClient client = new BackendClient(backend, CLIENT_TIMEOUT);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("fhir", new UpstreamFhirServer(guard, client)), "/fhir/*");
    context.addServlet(new ServletHolder("upstream", new UpstreamServlet(guard, client)),
        "/upstream/*");
    FhirGuardJetty.install(server, context, guard);
    return context;
  }

  public Backend backend() {
    return backend;
  }

  public FhirGuard guard() {
    return guard;
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      backend.close();
    }
  }
}
