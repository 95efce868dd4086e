package dev.fhirguard.testing;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.GuardHooks;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.jetty.FhirGuardJetty;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one test server: a real embedded Jetty 12 on {@code 127.0.0.1} and an ephemeral port, with
 * fhirguard installed in code and an {@link Http} client for it. {@link #builder()} says what it
 * serves; {@link #start()} is the common app ({@link Builder#standardApp()} with default settings).
 * Either start it and close it, or let JUnit do both around a test class:
 *
 * <pre>{@code @RegisterExtension static final TestServer server = TestServer.perClass();}</pre>
 */
public final class TestServer extends Http
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** The request header size of {@link #tokenApp()}: big tokens reach fhirguard, no 431. */
  public static final int LARGE_REQUEST_HEADER_BYTES = 256 * 1024;

  private final Builder spec;
  private Server jetty;
  private FhirGuard guard;
  private Completions completions;
  private final List<HttpServlet> servlets = new ArrayList<>();

  private TestServer(Builder spec) {
    super(spec.bodyCharset);
    this.spec = spec;
  }

  /** An empty server: nothing mapped, fhirguard with default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@link Builder#standardApp() standard app} with default settings, started. */
  public static TestServer start() {
    return start(Map.of());
  }

  /** The {@link Builder#standardApp() standard app} with these settings, started. */
  public static TestServer start(Map<String, String> settings) {
    return builder().settings(settings).standardApp().start();
  }

  /** The standard app with default settings, for a test class. */
  public static TestServer perClass() {
    return perClass(Map.of());
  }

  /** The standard app with these settings, for a test class. */
  public static TestServer perClass(Map<String, String> settings) {
    return builder().settings(settings).standardApp().perClass();
  }

  /**
   * For tests that send tokens: the standard app, {@link WhoAmIServlet} at {@code /whoami/*} (the
   * verified client) and request headers of up to {@link #LARGE_REQUEST_HEADER_BYTES}.
   */
  public static Builder tokenApp() {
    return builder().standardApp().servlet("/whoami/*", new WhoAmIServlet())
        .requestHeaderBytes(LARGE_REQUEST_HEADER_BYTES);
  }

  /** {@link #tokenApp()} for a {@link FhirGuard} the test built itself. */
  public static Builder with(FhirGuard guard) {
    return tokenApp().guard(guard);
  }

  /** {@link #with(FhirGuard)}, started. */
  public static TestServer start(FhirGuard guard) {
    return with(guard).start();
  }

  /** Adds a connector on 127.0.0.1 and an ephemeral port to {@code server}; returns it. */
  private static Server onLoopback(Server server) {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return server;
  }

  /** The local port of the first connector of a started {@code server}. */
  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** What a test server serves and how its fhirguard is made. */
  public static final class Builder {
    private final Map<String, String> settings = new HashMap<>();
    private final List<Consumer<FhirGuard.Builder>> guardOptions = new ArrayList<>();
    private final List<Mapping> mappings = new ArrayList<>();
    private final List<Consumer<ServletContextHandler>> contextOptions = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private FhirGuard guard;
    private boolean guarded = true;
    private boolean filter = true;
    private int requestHeaderBytes;
    private Charset bodyCharset;
    private boolean completions;
    private UnaryOperator<Handler> wrap = UnaryOperator.identity();
    private Function<Server, Handler> handler;

    private Builder() {}

    /** These fhirguard settings, on top of those given before and the defaults. */
    public Builder settings(Map<String, String> more) {
      settings.putAll(more);
      return this;
    }

    /** The clock every timer of the guard reads. */
    public Builder clock(Clock clock) {
      return guardOption(builder -> GuardHooks.withClock(builder, clock));
    }

    /** The guard's token verifier instead of the configured one. */
    public Builder tokenVerifier(TokenVerifier verifier) {
      return guardOption(builder -> builder.tokenVerifier(verifier));
    }

    /** Anything else on the guard's builder (a token verifier, an upstream mapping...). */
    public Builder guardOption(Consumer<FhirGuard.Builder> option) {
      guardOptions.add(option);
      return this;
    }

    /** This guard, built by the test, instead of one built from settings at start. */
    public Builder guard(FhirGuard prebuilt) {
      this.guard = prebuilt;
      return this;
    }

    /** No fhirguard at all: neither the filter nor the HAPI interceptor. */
    public Builder unguarded() {
      this.guarded = false;
      return this;
    }

    /** The HAPI interceptor only: fhirguard's filter and error handlers are not installed. */
    public Builder withoutFilter() {
      this.filter = false;
      return this;
    }

    /** {@link TestFhirServer} at {@code /fhir/*} and {@link PlainServlet} (async) at /plain/*. */
    public Builder standardApp() {
      return fhir("/fhir/*", new TestFhirServer()).asyncServlet("/plain/*", new PlainServlet());
    }

    /** A HAPI server at {@code path}, with fhirguard's interceptor registered when started. */
    public Builder fhir(String path, RestfulServer fhir) {
      mappings.add(new Mapping(path, guard -> {
        if (guard != null) {
          fhir.registerInterceptor(guard.interceptor());
        }
        return fhir;
      }, false));
      return this;
    }

    public Builder servlet(String path, HttpServlet servlet) {
      return servlet(path, guard -> servlet);
    }

    /** A servlet made for the guard (null when {@link #unguarded()}). */
    public Builder servlet(String path, Function<FhirGuard, HttpServlet> servlet) {
      mappings.add(new Mapping(path, servlet, false));
      return this;
    }

    /** A servlet that may start async requests. */
    public Builder asyncServlet(String path, HttpServlet servlet) {
      mappings.add(new Mapping(path, guard -> servlet, true));
      return this;
    }

    /** Anything else on the context (filters, listeners), after fhirguard is installed. */
    public Builder context(Consumer<ServletContextHandler> option) {
      contextOptions.add(option);
      return this;
    }

    /** A filter in front of fhirguard's, for every path on REQUEST dispatch. */
    public Builder filterInFront(Filter filter) {
      return context(context -> {
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("in-front");
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName("in-front");
        mapping.setPathSpec("/*");
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        context.getServletHandler().prependFilter(holder);
        context.getServletHandler().prependFilterMapping(mapping);
      });
    }

    /** Instead of the servlet context: the handler {@code handler} makes for the Jetty. */
    public Builder handler(Function<Server, Handler> handler) {
      this.handler = handler;
      return this;
    }

    /** Wraps the context (an {@code EventsHandler} watching requests, say). */
    public Builder wrap(UnaryOperator<Handler> wrap) {
      this.wrap = wrap;
      return this;
    }

    /** Records completed requests: see {@link TestServer#completions()}. */
    public Builder completions() {
      this.completions = true;
      return this;
    }

    /** The request header size the connector accepts (Jetty's default otherwise). */
    public Builder requestHeaderBytes(int bytes) {
      this.requestHeaderBytes = bytes;
      return this;
    }

    /** How response bodies are decoded: see {@link Http#Http(Charset)}. */
    public Builder bodyCharset(Charset charset) {
      this.bodyCharset = charset;
      return this;
    }

    /** Something closed after the server (a backend it calls, say). */
    public Builder closing(AutoCloseable resource) {
      closing.add(resource);
      return this;
    }

    /** Starts the server; close it when done. */
    public TestServer start() {
      TestServer server = new TestServer(this);
      server.startJetty();
      return server;
    }

    /** One server for a test class, as a static {@code @RegisterExtension} field. */
    public TestServer perClass() {
      return new TestServer(this);
    }

    private FhirGuard buildGuard() {
      if (guard != null || !guarded) {
        return guard;
      }
      FhirGuard.Builder builder = FhirGuard.builder();
      guardOptions.forEach(option -> option.accept(builder));
      return builder.config(FhirGuardConfig.load(settings)).build();
    }
  }

  private record Mapping(String path, Function<FhirGuard, HttpServlet> servlet, boolean async) {}

  private void startJetty() {
    try {
      Server server = onLoopback(new Server());
      if (spec.requestHeaderBytes > 0) {
        for (Connector connector : server.getConnectors()) {
          connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
              .setRequestHeaderSize(spec.requestHeaderBytes);
        }
      }
      guard = spec.buildGuard();
      Handler handler = spec.handler != null ? spec.handler.apply(server) : context(server);
      if (spec.completions) {
        completions = new Completions(handler);
        handler = completions;
      }
      server.setHandler(spec.wrap.apply(handler));
      server.start();
      jetty = server;
    } catch (Exception e) {
      throw new IllegalStateException("the test server did not start", e);
    }
  }

  private ServletContextHandler context(Server server) {
    ServletContextHandler context = new ServletContextHandler("/");
    for (Mapping mapping : spec.mappings) {
      HttpServlet servlet = mapping.servlet.apply(guard);
      servlets.add(servlet);
      ServletHolder holder = new ServletHolder(mapping.path.replaceAll("[/*]", ""), servlet);
      if (mapping.async) {
        holder.setAsyncSupported(true);
      }
      context.addServlet(holder, mapping.path);
    }
    if (guard != null && spec.filter) {
      FhirGuardJetty.install(server, context, guard);
    }
    spec.contextOptions.forEach(option -> option.accept(context));
    return context;
  }

  /** The guard, once started (null when {@link Builder#unguarded()}). */
  public FhirGuard guard() {
    return guard;
  }

  /** The one servlet of this type the server maps. */
  public <T> T servlet(Class<T> type) {
    return type.cast(servlets.stream().filter(type::isInstance).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " mapped")));
  }

  /** The requests the server completed: needs {@link Builder#completions()}. */
  public Completions completions() {
    if (completions == null) {
      throw new IllegalStateException("started without completions()");
    }
    return completions;
  }

  /** GET {@code pathAndQuery} and wait until the server has completed it: needs completions. */
  public HttpResponse<String> getAndAwait(String pathAndQuery, String... headers) {
    completions().clear();
    HttpResponse<String> response = get(pathAndQuery, headers);
    completions.await("GET", pathAndQuery);
    return response;
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public int port() {
    return port(jetty);
  }

  @Override
  public void close() {
    try {
      if (jetty != null) {
        jetty.stop();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      closeResources();
    }
  }

  private void closeResources() {
    for (AutoCloseable resource : spec.closing) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
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
