package dev.fhirguard.spring.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * A HAPI FHIR R4 server with Patients: {@code Patient/1} exists, reading {@code Patient/500} fails
 * with an exception whose text must never reach a client, any other id is unknown; create
 * accepts any Patient. No delete or update: those verbs are wrong here.
 */
public class PatientServer extends RestfulServer {

  /** The text of the failure of {@code Patient/500}. */
  public static final String SECRET_FAILURE = "jdbc:postgresql://db.internal:5432/fhir password=hunter2";

  public PatientServer() {
    super(FhirContext.forR4Cached());
    setResourceProviders(new Patients());
  }

  /** The Patient provider. */
  public static final class Patients implements IResourceProvider {

    @Override
    public Class<Patient> getResourceType() {
      return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id) {
      if ("500".equals(id.getIdPart())) {
        throw new IllegalStateException(SECRET_FAILURE);
      }
      if (!"1".equals(id.getIdPart())) {
        throw new ResourceNotFoundException(id);
      }
      Patient patient = new Patient();
      patient.setId("1");
      patient.addName().setFamily("Chalmers");
      return patient;
    }

    @Create
    public MethodOutcome create(@ResourceParam Patient patient) {
      return new MethodOutcome(new IdType("Patient", "2"), true);
    }
  }
}
