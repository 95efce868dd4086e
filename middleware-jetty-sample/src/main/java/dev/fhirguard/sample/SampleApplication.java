package dev.fhirguard.sample;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.demo.admin.MaintenanceAdminServlet;
import dev.fhirguard.demo.admin.MetricsServlet;
import dev.fhirguard.demo.auth.AuthorizationServer;
import dev.fhirguard.demo.auth.SampleClientsConfigException;
import dev.fhirguard.demo.backend.BackendDemo;
import dev.fhirguard.demo.backend.RemoteObservationProvider;
import dev.fhirguard.demo.export.BulkExportDemo;
import dev.fhirguard.demo.export.ExportSources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * What the sample serves, without fhirguard installed: its HAPI FHIR server ({@link
 * SampleFhirServer}) and legacy servlet, and the demo environment around them (the token endpoint,
 * the Observation backend, the Bulk Data export and the admin switches, in {@code
 * dev.fhirguard.demo}, not part of fhirguard).
 *
 * <p>{@link FhirServerWiring} puts fhirguard in front of these parts; the end-to-end benchmark's
 * baseline (docs/benchmarks.md) serves the very same parts without it. Build each part once.
 */
public final class SampleApplication {

  private final AuthorizationServer auth;
  private final Map<String, String> settings;
  private final SampleFhirServer fhirServer = new SampleFhirServer();
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private SampleApplication(AuthorizationServer auth, Map<String, String> settings) {
    this.auth = auth;
    this.settings = settings;
  }

  /**
   * The application served at {@code publicBase} (e.g. {@code http://localhost:8080}), where its
   * token endpoint's URLs point.
   *
   * @param fhirguardSettings full {@code fhirguard.*} keys, over every other source
   * @throws SampleClientsConfigException when the demo clients' file is invalid
   */
  public static SampleApplication create(String publicBase, Map<String, String> fhirguardSettings) {
    AuthorizationServer auth = AuthorizationServer.create(publicBase);
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.issuer", auth.issuer(),
        "fhirguard.auth.audience", auth.audience(),
        "fhirguard.auth.jwks-url", auth.jwksUrl()));
    settings.putAll(fhirguardSettings);
    return new SampleApplication(auth, Map.copyOf(settings));
  }

  /**
   * fhirguard's configuration: tokens verified against the demo's token endpoint (issuer, audience,
   * JWKS URL), the settings given to {@link #create} over every other source.
   *
   * @throws FhirGuardConfigException when the configuration is invalid
   */
  public FhirGuardConfig config() {
    return FhirGuardConfig.load(settings);
  }

  /** The HAPI FHIR server, mapped at {@code /fhir/*} by {@link #context}. */
  public SampleFhirServer fhirServer() {
    return fhirServer;
  }

  /** The meter registry {@code GET /metrics} serves (from this machine only). */
  public MeterRegistry meters() {
    return meters;
  }

  /**
   * The servlet context: the FHIR server at {@code /fhir/*} with its SMART discovery document, the
   * legacy servlet at {@code /legacy/*}, and the demo's backend, export and maintenance switch.
   * Those demo parts use {@code guard} (the backend's upstream calls, the export's answers,
   * maintenance mode); this does not install it.
   */
  public ServletContextHandler context(FhirGuard guard) {
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder fhirHolder = new ServletHolder("fhir", fhirServer);
    fhirHolder.setInitOrder(1);
    context.addServlet(fhirHolder, "/fhir/*");
    context.addServlet(new ServletHolder("smart-configuration", auth.smartConfigurationServlet()),
        "/fhir/.well-known/smart-configuration");
    context.addServlet(new ServletHolder("legacy", new LegacyGatewayServlet()), "/legacy/*");
    // Observations come from a second, in-process backend; /admin/backend switches its behaviour.
    RemoteObservationProvider observations = BackendDemo.install(context, guard, fhirServer);
    // Bulk Data export of Patients, Observations (from the backend) and Groups.
    BulkExportDemo.install(context, guard, fhirServer, "/fhir", new ExportSources(
        fhirServer.patients(), () -> observations.search(null, null), fhirServer.groups()));
    // Maintenance mode, switched at runtime (also by the file in fhirguard.maintenance.file).
    context.addServlet(new ServletHolder("maintenance-admin", new MaintenanceAdminServlet(guard)),
        "/admin/maintenance");
    // The meters (fhirguard's among them) in Prometheus' format, for this machine only.
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(meters)), "/metrics");
    return context;
  }

  /** The handler tree to serve: the token endpoint's context and {@code context}. */
  public Handler handler(ServletContextHandler context) {
    return new ContextHandlerCollection(auth.context(), context);
  }
}
