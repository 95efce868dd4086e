package dev.fhirguard.demo.auth;

import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The sample's SMART Backend Services authorization server: {@code POST /auth/token}
 * ({@code client_credentials} with {@code private_key_jwt} or {@code client_secret_basic}),
 * {@code GET /auth/jwks}, and the {@code /fhir/.well-known/smart-configuration} document. Clients
 * come from {@code sample-clients.properties}; access tokens are RS256 JWTs signed with a key
 * generated at start-up.
 *
 * <p>The public base (e.g. {@code http://localhost:8080}) determines the issuer, the token URL
 * that client assertions must name as {@code aud}, and the access tokens' audience. When the port
 * is only known after Jetty binds, use {@link #create(Supplier)}: the supplier is called on every
 * request (and by the URL accessors), so it only has to answer once the server is listening.
 */
public final class AuthorizationServer {

  static final long MAX_REMEMBERED_JTIS = 100_000;

  private final AuthEndpoints endpoints;
  private final ClientRegistry clients;
  private final AccessTokenIssuer tokens;
  private final TokenEndpoint tokenEndpoint;

  private AuthorizationServer(AuthEndpoints endpoints, ClientRegistry clients, Clock clock) {
    this.endpoints = endpoints;
    this.clients = clients;
    this.tokens = new AccessTokenIssuer(endpoints, clients.tokenLifetime(), clock);
    ClientAssertionVerifier assertions = new ClientAssertionVerifier(
        clients, endpoints::tokenUrl, new JtiReplayCache(MAX_REMEMBERED_JTIS, clock), clock);
    this.tokenEndpoint =
        new TokenEndpoint(new ClientAuthenticator(clients, assertions), tokens);
  }

  /**
   * Loads sample-clients.properties from the classpath, generates the signing key. publicBase like
   * http://localhost:8080 (no trailing slash).
   *
   * @throws SampleClientsConfigException when sample-clients.properties is not valid
   * @throws IllegalStateException when {@code publicBase} is not an absolute http(s) URL
   */
  public static AuthorizationServer create(String publicBase) {
    AuthorizationServer server = create(() -> publicBase);
    server.endpoints.base(); // fail now, not at the first request
    return server;
  }

  /**
   * Like {@link #create(String)}, with the public base read from {@code publicBase} whenever it
   * is needed, e.g. {@code () -> "http://localhost:" + connector.getLocalPort()}.
   */
  public static AuthorizationServer create(Supplier<String> publicBase) {
    return create(publicBase, ClientRegistry.loadFromClasspath(), Clock.systemUTC());
  }

  static AuthorizationServer create(
      Supplier<String> publicBase, ClientRegistry clients, Clock clock) {
    return new AuthorizationServer(new AuthEndpoints(publicBase), clients, clock);
  }

  /**
   * A ServletContextHandler with context path "/auth" serving /auth/token and /auth/jwks (and
   * JSON 404 otherwise). Each call makes a new handler over the same clients and keys.
   */
  public ServletContextHandler context() {
    ServletContextHandler context = new ServletContextHandler("/auth");
    context.setAllowNullPathInContext(true);
    context.setErrorHandler(new JsonErrorHandler());
    context.addServlet(new ServletHolder("token", new TokenServlet(tokenEndpoint)), "/token");
    context.addServlet(new ServletHolder("jwks", new JwksServlet(tokens.publicKeys())), "/jwks");
    context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
    return context;
  }

  /** The servlet for /fhir/.well-known/smart-configuration. */
  public HttpServlet smartConfigurationServlet() {
    return new SmartConfigurationServlet(endpoints, clients.allScopes());
  }

  /** {@code publicBase + "/auth"}. */
  public String issuer() {
    return endpoints.issuer();
  }

  /** {@code publicBase + "/auth/token"}. */
  public String tokenUrl() {
    return endpoints.tokenUrl();
  }

  /** {@code publicBase + "/auth/jwks"}. */
  public String jwksUrl() {
    return endpoints.jwksUrl();
  }

  /** {@code publicBase + "/fhir"}: the access tokens' {@code aud}. */
  public String audience() {
    return endpoints.audience();
  }
}
