package dev.fhirguard.client.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.jetty.FhirGuardJetty;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A server guarded by fhirguard (its filter puts each request's transaction id in the MDC), on
 * 127.0.0.1, serving one servlet at {@code /call}: a service in the middle of a chain.
 */
public final class FrontServer implements AutoCloseable {

  /** fhirguard with nothing but the transaction ids and error answers. */
  private static final Map<String, String> SETTINGS = Map.of(
      "fhirguard.auth.enabled", "false",
      "fhirguard.rate-limit.enabled", "false",
      "fhirguard.address-limit.enabled", "false");

  private final Server server;
  private final ServerConnector connector;

  private FrontServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  public static FrontServer start(HttpServlet servlet) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(servlet), "/call");
    FhirGuardJetty.install(server, context,
        FhirGuard.create(FhirGuardConfig.load(SETTINGS)));
    server.setHandler(context);
    server.start();
    return new FrontServer(server, connector);
  }

  public String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/call";
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the front server did not stop: " + e, e);
    }
  }
}
