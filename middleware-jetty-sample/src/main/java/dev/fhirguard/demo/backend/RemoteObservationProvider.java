package dev.fhirguard.demo.backend;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.fhirguard.Upstream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/**
 * Observations read from the backend, through fhirguard's upstream helper: a failing backend
 * becomes a 502, 503, 504 or 501 OperationOutcome naming "the observation service", and a
 * backend that keeps failing opens the circuit.
 */
public final class RemoteObservationProvider implements IResourceProvider {

  private final FhirContext fhir = FhirContext.forR4Cached();
  private final Upstream upstream;
  private final ObservationClient client;

  RemoteObservationProvider(Upstream upstream, ObservationClient client) {
    this.upstream = upstream;
    this.client = client;
  }

  @Override
  public Class<Observation> getResourceType() {
    return Observation.class;
  }

  /** Reads one Observation from the backend. */
  @Read
  public Observation read(@IdParam IdType id) {
    String path = "/Observation/" + URLEncoder.encode(id.getIdPart(), StandardCharsets.UTF_8);
    String json = upstream.call(() -> client.get(path))
        .orElseThrow(() -> new ResourceNotFoundException(id));
    return fhir.newJsonParser().parseResource(Observation.class, json);
  }

  /** Searches the backend by subject and patient. */
  @Search
  public List<Observation> search(
      @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
      @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient) {
    StringJoiner query = new StringJoiner("&", "/Observation?", "");
    add(query, "subject", subject);
    add(query, "patient", patient);
    String json = upstream.call(() -> client.get(query.toString())).orElse("{}");
    Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json);
    return bundle.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
  }

  private static void add(StringJoiner query, String name, ReferenceParam param) {
    if (param != null) {
      query.add(name + "=" + URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
    }
  }
}
