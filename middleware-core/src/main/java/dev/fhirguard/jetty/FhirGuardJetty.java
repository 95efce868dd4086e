package dev.fhirguard.jetty;

import dev.fhirguard.FhirGuard;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

/**
 * Installs fhirguard on an embedded Jetty 12 (ee10) server: the filter in front of every path and
 * dispatch, and FHIR error handlers for the errors that never reach a filter, inside the context
 * (any method, no stack traces) and at server level (bad URIs, headers too large).
 */
public final class FhirGuardJetty {

  private FhirGuardJetty() {}

  /** Call before {@code server.start()}. */
  public static void install(Server server, ServletContextHandler context, FhirGuard guard) {
    FilterHolder filter = new FilterHolder(guard.filter());
    filter.setName("fhirguard");
    filter.setAsyncSupported(true);
    context.getServletHandler().prependFilter(filter);
    context.getServletHandler().prependFilterMapping(mappingFor(filter));
    context.setAttribute(FhirGuard.CONTEXT_ATTRIBUTE, guard);
    context.setErrorHandler(new OutcomeContextErrorHandler(() -> guard));
    server.setErrorHandler(new OutcomeErrorHandler(() -> guard));
  }

  /**
   * Installs only the FHIR error handlers, for a context whose filter is declared in {@code
   * web.xml}: they use the guard that filter publishes. Jetty's own error-page handler sends no
   * PUT, DELETE or PATCH error to an {@code <error-page>}; these handlers answer every method.
   */
  public static void installErrorHandlers(Server server, ServletContextHandler context) {
    Supplier<FhirGuard> published = new PublishedGuard(context);
    context.setErrorHandler(new OutcomeContextErrorHandler(published));
    server.setErrorHandler(new OutcomeErrorHandler(published));
  }

  /** The guard the context's filter published, looked up at the first error (after its init). */
  private static final class PublishedGuard implements Supplier<FhirGuard> {
    private final ServletContextHandler context;
    private volatile FhirGuard guard;

    PublishedGuard(ServletContextHandler context) {
      this.context = context;
    }

    @Override
    public FhirGuard get() {
      FhirGuard current = guard;
      if (current == null) {
        current = FhirGuard.published(context.getServletContext());
        guard = current;
      }
      return current;
    }
  }

  private static org.eclipse.jetty.ee10.servlet.FilterMapping mappingFor(FilterHolder filter) {
    org.eclipse.jetty.ee10.servlet.FilterMapping mapping =
        new org.eclipse.jetty.ee10.servlet.FilterMapping();
    mapping.setFilterName(filter.getName());
    mapping.setPathSpec("/*");
    mapping.setDispatcherTypes(
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    return mapping;
  }
}
