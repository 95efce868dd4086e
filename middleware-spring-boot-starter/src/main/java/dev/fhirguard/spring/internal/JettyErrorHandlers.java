package dev.fhirguard.spring.internal;

import dev.fhirguard.jetty.FhirGuardJetty;
import org.eclipse.jetty.ee10.webapp.AbstractConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;

/**
 * Installs fhirguard's Jetty error handlers on Boot's embedded Jetty context and server. Done in
 * {@code postConfigure}, after Boot's own configuration has set its error-page handler, which
 * these replace: they answer every container error themselves, of any method, with the guard the
 * context publishes, and the server-level one answers the requests Jetty cannot parse.
 */
public final class JettyErrorHandlers extends AbstractConfiguration {

  public JettyErrorHandlers() {
    super(new AbstractConfiguration.Builder());
  }

  @Override
  public void postConfigure(WebAppContext context) {
    FhirGuardJetty.installErrorHandlers(context.getServer(), context);
  }
}
