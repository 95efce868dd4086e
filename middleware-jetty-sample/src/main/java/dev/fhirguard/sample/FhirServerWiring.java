package dev.fhirguard.sample;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.jetty.FhirGuardJetty;
import dev.fhirguard.metrics.FhirGuardMetrics;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The wiring to copy: how the sample puts fhirguard in front of its HAPI FHIR server on embedded
 * Jetty 12. README.md and docs/integration.md quote the region between the {@code tag::wiring}
 * and {@code end::wiring} comments (a test keeps them equal). Everything else the sample serves is
 * its {@link SampleApplication}: the FHIR server and the demo environment, not part of fhirguard.
 */
public final class FhirServerWiring {

  private FhirServerWiring() {}

  /**
   * {@code app}'s handler tree on {@code server}, behind fhirguard configured by {@code
   * app.config()}.
   *
   * @throws FhirGuardConfigException when the fhirguard configuration is invalid
   */
  public static Handler handlers(Server server, SampleApplication app) {
    FhirGuardConfig config = app.config();
    // tag::wiring[]
    // optional: fhirguard's meters in your Micrometer registry (dev.fhirguard.metrics)
    FhirGuardMetrics metrics = new FhirGuardMetrics(app.meters());
    FhirGuard guard = FhirGuard.builder().config(config) // one guard from the fhirguard.* settings
        .listener(metrics).build();                      //   whose decisions the meters count
    metrics.bindTo(guard);                               // its gauges and circuit breakers' meters
    RestfulServer fhir = app.fhirServer();               // your HAPI FHIR RestfulServer
    fhir.registerInterceptor(guard.interceptor());       // repairs HAPI's own error outcomes
    ServletContextHandler context = app.context(guard);  // fhir at /fhir/*, your other servlets
    FhirGuardJetty.install(server, context, guard);      // filter, context + server error handlers
    // end::wiring[]
    return app.handler(context);
  }
}
