package dev.fhirguard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fhirguard servlet filter: transaction ids, then the error boundary that turns every error
 * below it into an OperationOutcome. Map it on {@code /*} for the REQUEST, ASYNC and ERROR
 * dispatches, before any other filter.
 *
 * <p>Declared in {@code web.xml}, it builds its guard from the standard configuration sources plus
 * its init-params (full {@code fhirguard.*} keys) and publishes it as the servlet-context
 * attribute {@link FhirGuard#CONTEXT_ATTRIBUTE}, where {@link FhirGuardInterceptor} and {@link
 * FhirGuardErrorServlet} find it.
 */
public final class FhirGuardFilter implements Filter {

  private volatile FhirGuard guard;

  /** For {@code web.xml}: the guard is built in {@link #init}. */
  public FhirGuardFilter() {}

  FhirGuardFilter(FhirGuard guard) {
    this.guard = guard;
  }

  @Override
  public void init(FilterConfig filterConfig) {
    if (guard == null) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String name : Collections.list(filterConfig.getInitParameterNames())) {
        params.put(name, filterConfig.getInitParameter(name));
      }
      guard = FhirGuard.create(FhirGuardConfig.load(params));
    }
    if (filterConfig.getServletContext().getAttribute(FhirGuard.CONTEXT_ATTRIBUTE) == null) {
      filterConfig.getServletContext().setAttribute(FhirGuard.CONTEXT_ATTRIBUTE, guard);
    }
  }

  /** The web application stops: closes the guard's cluster store, if any. */
  @Override
  public void destroy() {
    FhirGuard built = guard;
    if (built != null) {
      built.close();
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http
        && response instanceof HttpServletResponse httpResponse) {
      guard.pipeline().handle(http, httpResponse, chain);
    } else {
      chain.doFilter(request, response);
    }
  }
}
