package dev.fhirguard.testing;

import java.nio.charset.Charset;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real embedded Jetty 12 on {@code 127.0.0.1} and an ephemeral port, with an {@link Http} client
 * for it. Either start it in code and close it, or let JUnit do both around a test class:
 *
 * <pre>{@code @RegisterExtension static final TestServer server = TestServer.perClass();}</pre>
 */
public abstract class LoopbackServer extends Http
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** What a server maps, given its Jetty (to install fhirguard on): the handler to serve with. */
  @FunctionalInterface
  public interface Mapping {
    Handler handler(Server server) throws Exception;
  }

  private Server server;

  /** @param bodyCharset see {@link Http#Http(Charset)} */
  protected LoopbackServer(Charset bodyCharset) {
    super(bodyCharset);
  }

  /** Starts a server that serves what {@code mapping} returns; close it when done. */
  public static LoopbackServer start(Mapping mapping) {
    LoopbackServer started = new LoopbackServer(null) {
      @Override
      protected Handler handler(Server server) throws Exception {
        return mapping.handler(server);
      }
    };
    started.startJetty();
    return started;
  }

  /** Adds a connector on 127.0.0.1 and an ephemeral port to {@code server}; returns it. */
  public static Server onLoopback(Server server) {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return server;
  }

  /** The local port of the first connector of a started {@code server}. */
  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The handler this server serves with, built for {@code server} (not started yet). */
  protected abstract Handler handler(Server server) throws Exception;

  /** Builds and starts the Jetty; fails with an IllegalStateException that has the cause. */
  protected final void startJetty() {
    try {
      Server jetty = onLoopback(new Server());
      jetty.setHandler(handler(jetty));
      jetty.start();
      server = jetty;
    } catch (Exception e) {
      throw new IllegalStateException("server did not start: " + getClass().getName(), e);
    }
  }

  @Override
  public int port() {
    return port(server);
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** As a static {@code @RegisterExtension} field: starts before the first test of the class. */
  @Override
  public void beforeAll(ExtensionContext context) {
    startJetty();
  }

  /** As a static {@code @RegisterExtension} field: stops after the last test of the class. */
  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }
}
