package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Jetty on 127.0.0.1 and an ephemeral port with the authorization server's /auth context
 * and, in the root context, the SMART configuration servlet; plus a real HTTP client.
 */
final class AuthServerFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  static final String FORM = "application/x-www-form-urlencoded";
  static final String SMART_CONFIGURATION = "/fhir/.well-known/smart-configuration";

  private final Consumer<ServletContextHandler> extraAuthServlets;
  private Server server;
  private ServerConnector connector;
  private AuthorizationServer auth;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AuthServerFixture(Consumer<ServletContextHandler> extraAuthServlets) {
    this.extraAuthServlets = extraAuthServlets;
  }

  /** One server for a test class, as a static {@code @RegisterExtension} field. */
  static AuthServerFixture perClass() {
    return new AuthServerFixture(context -> { });
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    startJetty();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  private AuthServerFixture startJetty() throws Exception {
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    auth = AuthorizationServer.create(() -> "http://127.0.0.1:" + connector.getLocalPort());
    ServletContextHandler root = new ServletContextHandler("/");
    root.addServlet(new ServletHolder(auth.smartConfigurationServlet()), SMART_CONFIGURATION);
    ServletContextHandler authContext = auth.context();
    extraAuthServlets.accept(authContext);
    server.setHandler(new ContextHandlerCollection(authContext, root));
    server.start();
    return this;
  }

  static AuthServerFixture start() throws Exception {
    return perClass().startJetty();
  }

  /** Starts with test servlets added to the /auth context first. */
  static AuthServerFixture start(Consumer<ServletContextHandler> extraAuthServlets)
      throws Exception {
    return new AuthServerFixture(extraAuthServlets).startJetty();
  }

  AuthorizationServer auth() {
    return auth;
  }

  String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  /** POSTs {@code form} to the token endpoint with the extra {@code headers} (name, value...). */
  HttpResponse<String> postToken(String form, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(auth.tokenUrl()))
        .header("Content-Type", FORM)
        .POST(HttpRequest.BodyPublishers.ofString(form));
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  static String basic(String clientId, String secret) {
    String pair = clientId + ":" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Object> json(HttpResponse<String> response) throws Exception {
    return JSONObjectUtils.parse(response.body());
  }

  static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** Asserts an RFC 6749 error answer and returns its error_description. */
  static String assertError(HttpResponse<String> response, int status, String error)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json;charset=utf-8",
        header(response, "Content-Type").toLowerCase().replace(" ", ""));
    assertEquals("no-store", header(response, "Cache-Control"));
    assertEquals("no-cache", header(response, "Pragma"));
    Map<String, Object> body = json(response);
    assertEquals(error, body.get("error"), response.body());
    return (String) body.get("error_description");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
