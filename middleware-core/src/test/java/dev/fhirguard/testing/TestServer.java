package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real embedded Jetty 12 on a loopback ephemeral port with fhirguard installed in code: a HAPI
 * {@link TestFhirServer} at {@code /fhir/*} and the misbehaving {@link PlainServlet} at {@code
 * /plain/*}. Nothing else is mapped, so other paths meet the container's own 404/405.
 */
public final class TestServer implements AutoCloseable {

  private final Server server;
  private final FhirGuard guard;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Server server, FhirGuard guard) {
    this.server = server;
    this.guard = guard;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts with these explicit fhirguard settings on top of the defaults. */
  public static TestServer start(Map<String, String> settings) {
    try {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(settings));
      TestFhirServer fhir = new TestFhirServer();
      fhir.registerInterceptor(guard.interceptor());
      context.addServlet(new ServletHolder("fhir", fhir), "/fhir/*");
      ServletHolder plain = new ServletHolder("plain", new PlainServlet());
      plain.setAsyncSupported(true);
      context.addServlet(plain, "/plain/*");
      FhirGuardJetty.install(server, context, guard);
      server.setHandler(context);
      server.start();
      return new TestServer(server, guard);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }

  public FhirGuard guard() {
    return guard;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** GET with optional header name/value pairs. */
  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  /** Any method, optional body (null for none) and header name/value pairs. */
  public HttpResponse<String> send(
      String method, String pathAndQuery, String body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
