package dev.fhirguard.sample;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;

/** The HAPI FHIR R4 server of the sample, with in-memory Patient, Observation and Group data. */
public class SampleFhirServer extends RestfulServer {

  private final PatientProvider patients = new PatientProvider();
  private final GroupProvider groups = new GroupProvider();

  /** Creates the server with its resource providers registered. */
  public SampleFhirServer() {
    super(FhirContext.forR4Cached());
    setResourceProviders(patients, new ObservationProvider(), groups);
    setServerName("fhirguard sample");
  }

  /** The Patient store. */
  public PatientProvider patients() {
    return patients;
  }

  /** The Group store. */
  public GroupProvider groups() {
    return groups;
  }
}
