package dev.fhirguard;

import dev.fhirguard.internal.ContainerErrors;
import dev.fhirguard.internal.ErrorResponder;
import dev.fhirguard.internal.GuardAccess;
import dev.fhirguard.internal.GuardPipeline;
import dev.fhirguard.internal.OutcomeRenderer;
import dev.fhirguard.internal.RequestIdentity;
import dev.fhirguard.internal.RequestTracking;
import jakarta.servlet.ServletRequest;
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
public final class FhirGuard {

  /** The servlet-context attribute under which the filter publishes its guard. */
  public static final String CONTEXT_ATTRIBUTE = FhirGuard.class.getName();

  private static final Logger LOG = LoggerFactory.getLogger(FhirGuard.class);

  static {
    GuardAccess.register(guard -> ((FhirGuard) guard).containerErrors);
  }

  private final FhirGuardConfig config;
  private final OutcomeRenderer renderer;
  private final RequestTracking tracking;
  private final ErrorResponder responder;
  private final GuardPipeline pipeline;
  private final ContainerErrors containerErrors;

  private FhirGuard(FhirGuardConfig config) {
    this.config = config;
    this.renderer = new OutcomeRenderer(config.settings());
    this.tracking = new RequestTracking(config.settings());
    this.responder = new ErrorResponder(renderer, tracking);
    this.pipeline = new GuardPipeline(tracking, responder);
    this.containerErrors = new ContainerErrors(renderer, tracking);
    LOG.info("fhirguard configuration:{}{}", System.lineSeparator(), config);
  }

  /** A guard configured from the standard sources (see {@link FhirGuardConfig}). */
  public static FhirGuard create() {
    return create(FhirGuardConfig.load());
  }

  /** A guard with this configuration; logs the effective configuration once. */
  public static FhirGuard create(FhirGuardConfig config) {
    return new FhirGuard(config);
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

  /** The transaction id of {@code request}, or {@code null} when fhirguard has not seen it. */
  public static String requestId(ServletRequest request) {
    Object identity = request.getAttribute(RequestIdentity.ATTRIBUTE);
    return identity instanceof RequestIdentity id ? id.requestId() : null;
  }

  OutcomeRenderer renderer() {
    return renderer;
  }

  ErrorResponder responder() {
    return responder;
  }

  GuardPipeline pipeline() {
    return pipeline;
  }
}
