package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.jetty.FhirGuardJetty;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * A real embedded Jetty 12 on loopback with fhirguard's filter and interceptor, bearer-token
 * authentication on, the HAPI {@link ScopedFhirServer} at {@code /fhir/*} and the non-HAPI
 * {@link EchoFhirServlet} at {@code /plain/*}. Tokens are checked by {@link
 * ScopeTokens#verifier()} unless a settings map names real key material (then the verifier
 * supplier is null).
 */
public final class ScopedServer extends LoopbackServer {

  private final Map<String, String> settings;
  private final Supplier<TokenVerifier> verifier;
  private ScopedFhirServer fhir;
  private EchoFhirServlet plain;
  private FhirGuard guard;

  private ScopedServer(Map<String, String> settings, Supplier<TokenVerifier> verifier) {
    super(null);
    this.settings = settings;
    this.verifier = verifier;
  }

  /**
   * Auth on, scopes from {@link ScopeTokens}, plus {@code extra} settings. The JWT settings are
   * there only because configuration validation demands them even when a custom verifier is
   * plugged in (the builder's verifier is not known when the configuration is loaded); they are
   * never used.
   */
  public static ScopedServer perClass(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(ScopeTokens.Signer.settings(
        "fhirguard.auth.public-key-file", ScopeTokens.unusedKeyFile()));
    all.putAll(extra);
    return new ScopedServer(Map.copyOf(all), ScopeTokens::verifier);
  }

  public static ScopedServer perClass() {
    return perClass(Map.of());
  }

  /** Exactly these settings and fhirguard's own (configured) verifier; for real JWTs. */
  public static ScopedServer withConfiguredVerifier(Map<String, String> settings) {
    ScopedServer server = new ScopedServer(Map.copyOf(settings), null);
    server.startJetty();
    return server;
  }

  @Override
  protected Handler handler(Server server) {
    ServletContextHandler context = new ServletContextHandler("/");
    FhirGuard.Builder builder = FhirGuard.builder().config(FhirGuardConfig.load(settings));
    if (verifier != null) {
      builder.tokenVerifier(verifier.get());
    }
    guard = builder.build();
    fhir = new ScopedFhirServer();
    fhir.registerInterceptor(guard.interceptor());
    context.addServlet(new ServletHolder("fhir", fhir), "/fhir/*");
    plain = new EchoFhirServlet();
    context.addServlet(new ServletHolder("plain", plain), "/plain/*");
    FhirGuardJetty.install(server, context, guard);
    return context;
  }

  /** The HAPI server, to count provider calls. */
  public ScopedFhirServer fhir() {
    return fhir;
  }

  /** The non-HAPI servlet, to count the requests that reached it. */
  public EchoFhirServlet plain() {
    return plain;
  }

  public FhirGuard guard() {
    return guard;
  }
}
