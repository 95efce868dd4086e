package dev.fhirguard.demo.backend;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.sample.ObservationProvider;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * Puts the sample's Observations behind a real upstream: a second HTTP server on its own loopback
 * port ({@link ObservationBackend}), read with a {@link #CLIENT_TIMEOUT} through {@code
 * guard.upstream("observations")}, and a demo switch at {@code /admin/backend}.
 */
public final class BackendDemo {

  /** The sample's request timeout for the backend. */
  public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  /** How long the backend takes in slow mode: well past the timeout. */
  static final Duration SLOW_DELAY = Duration.ofSeconds(5);

  private BackendDemo() {}

  /**
   * Starts the backend with {@code context}, serves {@code fhirServer}'s Observations from it
   * (replacing the in-memory provider) and maps the switch at {@code /admin/backend}.
   *
   * @return the provider that reads the backend's Observations
   */
  public static RemoteObservationProvider install(
      ServletContextHandler context, FhirGuard guard, RestfulServer fhirServer) {
    ObservationBackend backend = new ObservationBackend(SLOW_DELAY);
    context.addManaged(backend);
    ObservationClient client = new ObservationClient(backend::port, CLIENT_TIMEOUT);
    List<Object> inMemory = fhirServer.getResourceProviders().stream()
        .filter(ObservationProvider.class::isInstance).map(Object.class::cast).toList();
    fhirServer.unregisterProviders(inMemory);
    RemoteObservationProvider remote =
        new RemoteObservationProvider(guard.upstream(ObservationClient.UPSTREAM), client);
    fhirServer.registerProvider(remote);
    context.addServlet(new ServletHolder("backend-admin", new BackendAdminServlet(backend)),
        "/admin/backend");
    return remote;
  }
}
