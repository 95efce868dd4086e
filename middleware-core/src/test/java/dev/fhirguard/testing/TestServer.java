package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * A real embedded Jetty 12 on a loopback ephemeral port with fhirguard installed in code: a HAPI
 * {@link TestFhirServer} at {@code /fhir/*} and the misbehaving {@link PlainServlet} at {@code
 * /plain/*}. Nothing else is mapped, so other paths meet the container's own 404/405.
 */
public final class TestServer extends LoopbackServer {

  private final Map<String, String> settings;
  private FhirGuard guard;

  private TestServer(Map<String, String> settings) {
    super(null);
    this.settings = settings;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts with these explicit fhirguard settings on top of the defaults. */
  public static TestServer start(Map<String, String> settings) {
    TestServer server = new TestServer(settings);
    server.startJetty();
    return server;
  }

  /** One server for a test class, as a static {@code @RegisterExtension} field. */
  public static TestServer perClass() {
    return perClass(Map.of());
  }

  /** As {@link #perClass()}, with these explicit fhirguard settings on top of the defaults. */
  public static TestServer perClass(Map<String, String> settings) {
    return new TestServer(settings);
  }

  @Override
  protected Handler handler(Server server) {
    ServletContextHandler context = new ServletContextHandler("/");
    guard = FhirGuard.create(FhirGuardConfig.load(settings));
    TestFhirServer fhir = new TestFhirServer();
    fhir.registerInterceptor(guard.interceptor());
    context.addServlet(new ServletHolder("fhir", fhir), "/fhir/*");
    ServletHolder plain = new ServletHolder("plain", new PlainServlet());
    plain.setAsyncSupported(true);
    context.addServlet(plain, "/plain/*");
    FhirGuardJetty.install(server, context, guard);
    return context;
  }

  public FhirGuard guard() {
    return guard;
  }
}
