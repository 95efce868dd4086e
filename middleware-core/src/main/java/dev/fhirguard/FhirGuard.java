package dev.fhirguard;

import dev.fhirguard.bulk.BulkExport;
import dev.fhirguard.internal.admission.Admission;
import dev.fhirguard.internal.auth.AccessControl;
import dev.fhirguard.internal.auth.Authenticator;
import dev.fhirguard.internal.auth.ScopeCheck;
import dev.fhirguard.internal.auth.Verifiers;
import dev.fhirguard.internal.cluster.ClusterMode;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Settings;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.internal.outcome.ContainerErrors;
import dev.fhirguard.internal.outcome.Diagnostics;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.ExceptionClassifier;
import dev.fhirguard.internal.outcome.OutcomeRenderer;
import dev.fhirguard.internal.outcome.RequiredHeaders;
import dev.fhirguard.internal.pipeline.GuardPipeline;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import dev.fhirguard.internal.upstream.UpstreamRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured fhirguard: the servlet filter, the HAPI interceptor and the error servlet that
 * share its configuration.
 *
 * <pre>{@code
 * FhirGuard guard = FhirGuard.create();
 * context.addFilter(new FilterHolder(guard.filter()), "/*", EnumSet.of(REQUEST, ASYNC, ERROR));
 * restfulServer.registerInterceptor(guard.interceptor());
 * }</pre>
 */
public final class FhirGuard implements AutoCloseable {

  /** The servlet-context attribute under which the filter publishes its guard. */
  public static final String CONTEXT_ATTRIBUTE = FhirGuard.class.getName();

  private static final Logger LOG = LoggerFactory.getLogger(FhirGuard.class);

  private final FhirGuardConfig config;
  private final OutcomeRenderer renderer;
  private final RequestTracking tracking;
  private final ErrorHandler errors;
  private final GuardPipeline pipeline;
  private final AccessControl accessControl;
  private final UpstreamRegistry upstreams;
  private final Admission admission;
  private final BulkExport bulkExport;
  private final ClusterMode cluster;

  private FhirGuard(Builder builder) {
    this.config = builder.config != null ? builder.config : FhirGuardConfig.load();
    ResolvedSettings settings = config.settings();
    GuardEvents events = GuardEvents.of(builder.listeners);
    this.renderer = new OutcomeRenderer(settings);
    this.tracking = new RequestTracking(settings);
    RequiredHeaders requiredHeaders = new RequiredHeaders(settings.get(AuthSettings.REALM));
    this.errors = new ErrorHandler(ExceptionClassifier.of(settings, builder.upstreamFailures),
        new ErrorResponder(renderer, tracking, requiredHeaders),
        new ContainerErrors(renderer, tracking, requiredHeaders), events);
    boolean authEnabled = settings.get(AuthSettings.ENABLED);
    if (authEnabled && builder.tokenVerifier == null && !settings.verifierProblems().isEmpty()) {
      throw new FhirGuardConfigException(settings.verifierProblems());
    }
    Authenticator authenticator = new Authenticator(settings,
        authEnabled ? Verifiers.create(settings, builder.tokenVerifier, builder.clock) : null,
        events);
    ScopeCheck scopes = settings.get(AuthSettings.ENFORCE_SCOPES)
        ? new ScopeCheck(settings.get(AuthSettings.REALM)) : null;
    this.accessControl = new AccessControl(authenticator, scopes, errors);
    this.upstreams = new UpstreamRegistry(settings, builder.clock, events);
    this.cluster = ClusterMode.open(settings);
    GuardSettings guardSettings = GuardSettings.of(settings);
    this.admission = new Admission(guardSettings, cluster.maintenance(), builder.clock, events);
    this.pipeline = new GuardPipeline(guardSettings, new GuardPipeline.Parts(tracking, errors,
        authenticator, scopes, admission,
        cluster.rateLimits(builder.rateLimitStore), cluster.exportLeases(), builder.clock, events,
        cluster.decidingStore(builder.rateLimitStore, false),
        cluster.decidingStore(builder.rateLimitStore, true)));
    this.bulkExport = new BulkExport(errors, renderer,
        new Diagnostics(settings.get(Settings.MAX_DIAGNOSTICS_LENGTH)));
    LOG.info("fhirguard configuration:{}{}", System.lineSeparator(), config);
  }

  /** A guard configured from the standard sources (see {@link FhirGuardConfig}). */
  public static FhirGuard create() {
    return builder().build();
  }

  /** A guard with this configuration; logs the effective configuration once. */
  public static FhirGuard create(FhirGuardConfig config) {
    return builder().config(config).build();
  }

  /** A builder, for a guard with a plugged-in {@link TokenVerifier}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FhirGuard}. */
  public static final class Builder {
    private FhirGuardConfig config;
    private TokenVerifier tokenVerifier;
    private RateLimitStore rateLimitStore;
    private Clock clock = Clock.systemUTC();
    private final Map<Class<? extends Throwable>, ErrorCode> upstreamFailures =
        new LinkedHashMap<>();
    private final List<GuardListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The configuration; the standard sources when not given. */
    public Builder config(FhirGuardConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Verifies bearer tokens with {@code verifier} instead of the configured JWT or introspection
     * verifier (used when {@code fhirguard.auth.enabled} is true; results are cached). The
     * settings of the configured verifiers (issuer, audience, key source, introspection URL) are
     * then not required.
     */
    public Builder tokenVerifier(TokenVerifier verifier) {
      this.tokenVerifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Answers an exception of {@code type} (or a subclass), anywhere in a failure's cause chain,
     * with {@code code}: {@code upstreamFailure(EhrDownException.class,
     * ErrorCode.UPSTREAM_UNREACHABLE)}. {@code fhirguard.upstream.exception-mappings} overrides
     * these.
     *
     * @throws IllegalArgumentException when {@code code} is not a server error (5xx): a client
     *     error would show the exception's own text to clients
     */
    public Builder upstreamFailure(Class<? extends Throwable> type, ErrorCode code) {
      if (!Objects.requireNonNull(code, "code").isServerError()) {
        throw new IllegalArgumentException("an upstream failure is answered with a server error"
            + " (5xx) catalog code, not " + code + " (" + code.status() + ")");
      }
      upstreamFailures.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(code, "code"));
      return this;
    }

    /**
     * Keeps the token buckets of the rate limits in {@code store} (shared by a cluster of
     * servers) instead of in this server's memory, or of the cluster's store when {@code
     * fhirguard.cluster.redis-url} is set.
     */
    public Builder rateLimitStore(RateLimitStore store) {
      this.rateLimitStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Adds a listener that watches every error answer and decision of this guard (see {@link
     * GuardListener}); listeners are called in the order they were added.
     */
    public Builder listener(GuardListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock token expiry, open circuits, buckets, export jobs and maintenance-file look-ups
     * are timed with; for tests.
     */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws FhirGuardConfigException when the configuration (or a key file it names) is invalid
     */
    public FhirGuard build() {
      return new FhirGuard(this);
    }
  }

  /** The frozen configuration this guard runs with. */
  public FhirGuardConfig config() {
    return config;
  }

  /** A filter to register for REQUEST, ASYNC and ERROR dispatches on every path. */
  public FhirGuardFilter filter() {
    return new FhirGuardFilter(this);
  }

  /** The interceptor to register on a HAPI {@code RestfulServer}. */
  public FhirGuardInterceptor interceptor() {
    return new FhirGuardInterceptor(this);
  }

  /** A servlet that renders container errors; map it as the global {@code <error-page>}. */
  public FhirGuardErrorServlet errorServlet() {
    return new FhirGuardErrorServlet(this);
  }

  /**
   * Calls to the upstream (backend) {@code name}, through its circuit breaker (one per name and
   * guard). Its settings are {@code fhirguard.upstreams.<name>.*}.
   *
   * @throws IllegalArgumentException when the name is not 1 to 128 letters, digits and {@code
   *     _~:@.-}
   */
  public Upstream upstream(String name) {
    return new Upstream(name, upstreams.circuit(name), errors.classifier());
  }

  /**
   * Switches maintenance mode on or off at runtime: while it is on, every request outside {@code
   * fhirguard.maintenance.exempt-paths} gets 503 MAINTENANCE with a {@code Retry-After}. While the
   * file named by {@code fhirguard.maintenance.file} exists, maintenance stays on whatever this
   * says. In cluster mode it switches every replica (each within {@code
   * fhirguard.cluster.maintenance-sync-interval}); switching off also ends this replica's
   * maintenance from {@code fhirguard.maintenance.enabled}.
   */
  public void maintenance(boolean on) {
    admission.maintenance(on);
  }

  /**
   * Whether the server is in maintenance now: switched on (by {@code
   * fhirguard.maintenance.enabled} or {@link #maintenance(boolean)}), or the maintenance file
   * exists (looked up at most once a second).
   */
  public boolean inMaintenance() {
    return admission.inMaintenance();
  }

  /**
   * What this guard is doing now (requests in flight, active exports, maintenance, the cluster
   * store): a snapshot that costs no I/O, for gauges and health checks.
   */
  public GuardStatus status() {
    return new GuardStatus(pipeline.requestsInFlight(), pipeline.activeExports(),
        admission.inMaintenance(), cluster.status());
  }

  /**
   * Resilience4j's registry of this guard's upstream circuit breakers (one per name passed to
   * {@link #upstream(String)}, added on first use), to bind Resilience4j's own metrics, as {@code
   * dev.fhirguard.metrics.FhirGuardMetrics} does. Read it; reconfiguring or replacing its breakers
   * does not change the guard's.
   */
  public CircuitBreakerRegistry circuitBreakers() {
    return upstreams.breakers();
  }

  /**
   * Closes the cluster store, if any (the filter does when it is destroyed); limits are then this
   * replica's own. Safe to call more than once.
   */
  @Override
  public void close() {
    cluster.close();
  }

  /** The answers of a Bulk Data export ({@code $export}) that this guard's settings shape. */
  public BulkExport bulkExport() {
    return bulkExport;
  }

  /**
   * Answers an error the container raised outside the filter chain as fhirguard answers errors in
   * it: catalog code, configured exception mappings, transaction id, negotiated format, logged
   * once. For container adapters (see {@code dev.fhirguard.jetty.FhirGuardJetty}).
   */
  public ContainerAnswer answer(ContainerError error) {
    return errors.answer(Objects.requireNonNull(error, "error"));
  }

  /**
   * The guard published in {@code context} (by {@link FhirGuardFilter#init}, or by {@code
   * FhirGuardJetty.install}) under {@link #CONTEXT_ATTRIBUTE}: how the parts declared in {@code
   * web.xml} share one guard.
   *
   * @throws IllegalStateException when none is published: a second guard would have its own
   *     buckets, circuits and maintenance switch
   */
  public static FhirGuard published(ServletContext context) {
    Object published = context == null ? null : context.getAttribute(CONTEXT_ATTRIBUTE);
    if (published instanceof FhirGuard guard) {
      return guard;
    }
    throw new IllegalStateException("No fhirguard guard is published in this servlet context:"
        + " declare " + FhirGuardFilter.class.getName() + " (mapped on /*) in the same web"
        + " application, or install the guard with FhirGuardJetty.install, or pass the guard's"
        + " own interceptor() and errorServlet()");
  }

  /** The transaction id of {@code request}, or {@code null} when fhirguard has not seen it. */
  public static String requestId(ServletRequest request) {
    Object identity = request.getAttribute(RequestIdentity.ATTRIBUTE);
    return identity instanceof RequestIdentity id ? id.requestId() : null;
  }

  OutcomeRenderer renderer() {
    return renderer;
  }

  ErrorHandler errors() {
    return errors;
  }

  GuardPipeline pipeline() {
    return pipeline;
  }

  AccessControl accessControl() {
    return accessControl;
  }

  /** Requests holding a slot of {@code fhirguard.overload.max-in-flight}; for tests. */
  int requestsInFlight() {
    return admission.requestsInFlight();
  }

  /** Clients holding a slot of {@code max-in-flight-per-client}; for tests. */
  int clientsInFlight() {
    return admission.clientsInFlight();
  }
}
