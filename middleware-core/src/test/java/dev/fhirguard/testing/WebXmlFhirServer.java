package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuardInterceptor;

/**
 * The HAPI server of a {@code web.xml} deployment, as a user would write it: the container
 * instantiates it, and its interceptor finds the guard that {@code FhirGuardFilter} published in
 * the servlet context. Serves {@link TestFhirServer.PatientProvider}.
 */
public final class WebXmlFhirServer extends RestfulServer {

  public WebXmlFhirServer() {
    super(FhirContext.forR4Cached());
  }

  @Override
  protected void initialize() {
    registerInterceptor(new FhirGuardInterceptor());
    setResourceProviders(new TestFhirServer.PatientProvider());
  }
}
