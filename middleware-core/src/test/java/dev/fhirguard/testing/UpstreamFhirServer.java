package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/**
 * A real HAPI R4 server whose Observations come from the {@link Backend}: {@code
 * Observation/helper} through {@code guard.upstream("records")}, {@code Observation/raw} directly
 * (the HTTP client's exception escapes the provider), {@code Observation/<trigger>} throws one of
 * the {@link EhrExceptions}.
 */
public final class UpstreamFhirServer extends RestfulServer {

  private static final long serialVersionUID = 1L;

  public UpstreamFhirServer(FhirGuard guard, BackendClient client) {
    super(FhirContext.forR4Cached());
    setResourceProviders(List.of(new ObservationProvider(guard, client)));
    registerInterceptor(guard.interceptor());
  }

  /** Reads that go to the backend. */
  public static final class ObservationProvider implements IResourceProvider {
    private final FhirGuard guard;
    private final BackendClient client;

    ObservationProvider(FhirGuard guard, BackendClient client) {
      this.guard = guard;
      this.client = client;
    }

    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Read
    public Observation read(@IdParam IdType id) {
      String trigger = id.getIdPart();
      if (trigger.equals("helper")) {
        guard.upstream(BackendClient.UPSTREAM).call(client::fetch);
      } else if (trigger.equals("raw")) {
        fetchDirectly();
      } else {
        throw EhrExceptions.named(trigger);
      }
      Observation observation = new Observation();
      observation.setId(trigger);
      observation.setStatus(Observation.ObservationStatus.FINAL);
      return observation;
    }

    private void fetchDirectly() {
      try {
        client.fetch();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
