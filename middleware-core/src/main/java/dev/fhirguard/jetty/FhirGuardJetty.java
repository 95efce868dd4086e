package dev.fhirguard.jetty;

import dev.fhirguard.FhirGuard;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
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
    context.setErrorHandler(new OutcomeErrorHandler(guard));
    server.setErrorHandler(new OutcomeErrorHandler(guard));
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
