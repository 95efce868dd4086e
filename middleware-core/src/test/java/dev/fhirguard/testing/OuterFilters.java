package dev.fhirguard.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/** Filters that run in front of fhirguard's, as an application's or an instrumentation's do. */
public final class OuterFilters {

  private OuterFilters() {}

  /** Puts {@code filter} first on {@code /*} for REQUEST dispatches, before fhirguard's filter. */
  public static void prepend(ServletContextHandler context, String name, Filter filter) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setName(name);
    context.getServletHandler().prependFilter(holder);
    FilterMapping mapping = new FilterMapping();
    mapping.setFilterName(name);
    mapping.setPathSpec("/*");
    mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
    context.getServletHandler().prependFilterMapping(mapping);
  }
}
