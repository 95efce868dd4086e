package dev.fhirguard.sample;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;

/** The HAPI FHIR R4 server of the sample, with in-memory Patient, Observation and Group data. */
public class SampleFhirServer extends RestfulServer {

  /** Creates the server with its resource providers registered. */
  public SampleFhirServer() {
    super(FhirContext.forR4Cached());
    setResourceProviders(new PatientProvider(), new ObservationProvider(), new GroupProvider());
    setServerName("fhirguard sample");
  }
}
