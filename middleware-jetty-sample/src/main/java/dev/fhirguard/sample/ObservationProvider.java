package dev.fhirguard.sample;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Read-only in-memory body-weight Observations, searchable by {@code subject}/{@code patient};
 * last updated when the provider was created.
 */
public class ObservationProvider implements IResourceProvider {

  private final Map<String, Observation> observations = new LinkedHashMap<>();

  /** Creates Observation/1 to Observation/3, about Patient/1, Patient/1 and Patient/2. */
  public ObservationProvider() {
    add("1", "1", 81.5);
    add("2", "1", 80.9);
    add("3", "2", 64.2);
  }

  @Override
  public Class<Observation> getResourceType() {
    return Observation.class;
  }

  /** Reads one Observation. */
  @Read
  public Observation read(@IdParam IdType id) {
    Observation observation = observations.get(id.getIdPart());
    if (observation == null) {
      throw new ResourceNotFoundException(id);
    }
    return observation.copy();
  }

  /** All Observations, or those whose subject is the given Patient. */
  @Search
  public List<Observation> search(
      @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
      @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient) {
    return observations.values().stream()
        .filter(o -> isAbout(o, subject) && isAbout(o, patient))
        .map(Observation::copy)
        .toList();
  }

  private static boolean isAbout(Observation observation, ReferenceParam param) {
    if (param == null) {
      return true;
    }
    if (param.hasResourceType() && !"Patient".equals(param.getResourceType())) {
      return false;
    }
    IdType subject = new IdType(observation.getSubject().getReference());
    return Objects.equals(subject.getIdPart(), param.getIdPart());
  }

  private void add(String id, String patientId, double kilograms) {
    Observation observation = new Observation();
    observation.setId(new IdType("Observation", id, "1"));
    observation.getMeta().setVersionId("1").setLastUpdated(new Date());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().addCoding()
        .setSystem("http://loinc.org").setCode("29463-7").setDisplay("Body weight");
    observation.setSubject(new Reference("Patient/" + patientId));
    observation.setValue(
        new Quantity().setValue(kilograms).setUnit("kg")
            .setSystem("http://unitsofmeasure.org").setCode("kg"));
    observations.put(id, observation);
  }
}
