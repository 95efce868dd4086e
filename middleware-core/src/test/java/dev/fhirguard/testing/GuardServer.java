package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;

/**
 * As {@link TestServer}, but with a {@link FhirGuard} the test built itself (a plugged verifier, a
 * test clock) and request headers of up to {@link #REQUEST_HEADER_BYTES}, so oversized
 * Authorization headers reach fhirguard instead of Jetty's 431. Maps the HAPI {@link
 * TestFhirServer} at {@code /fhir/*}, {@link PlainServlet} at {@code /plain/*} and {@link
 * WhoAmIServlet} at {@code /whoami/*}.
 */
public final class GuardServer extends LoopbackServer {

  /** The request header size the connector accepts. */
  public static final int REQUEST_HEADER_BYTES = 256 * 1024;

  private final FhirGuard guard;
  private final Consumer<ServletContextHandler> customize;

  private GuardServer(FhirGuard guard, Consumer<ServletContextHandler> customize) {
    super(null);
    this.guard = guard;
    this.customize = customize;
  }

  /** Starts a server for {@code guard}; close it when done. */
  public static GuardServer start(FhirGuard guard) {
    return start(guard, context -> {});
  }

  /**
   * Starts a server for {@code guard}; {@code customize} sees the context after fhirguard is
   * installed (to add filters in front of it, for instance).
   */
  public static GuardServer start(FhirGuard guard, Consumer<ServletContextHandler> customize) {
    GuardServer server = new GuardServer(guard, customize);
    server.startJetty();
    return server;
  }

  @Override
  protected Handler handler(Server server) {
    for (Connector connector : server.getConnectors()) {
      HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
      http.getHttpConfiguration().setRequestHeaderSize(REQUEST_HEADER_BYTES);
    }
    ServletContextHandler context = new ServletContextHandler("/");
    TestFhirServer fhir = new TestFhirServer();
    fhir.registerInterceptor(guard.interceptor());
    context.addServlet(new ServletHolder("fhir", fhir), "/fhir/*");
    context.addServlet(new ServletHolder("plain", new PlainServlet()), "/plain/*");
    context.addServlet(new ServletHolder("whoami", new WhoAmIServlet()), "/whoami/*");
    FhirGuardJetty.install(server, context, guard);
    customize.accept(context);
    return context;
  }

  public FhirGuard guard() {
    return guard;
  }
}
