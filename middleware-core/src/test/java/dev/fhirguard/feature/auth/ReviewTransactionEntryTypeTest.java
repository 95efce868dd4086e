package dev.fhirguard.feature.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedServer;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review: a transaction entry is checked by its request URL only. An entry {@code POST Patient}
 * whose resource is an Observation passes with {@code system/Patient.c}, while a HAPI JPA server
 * picks the DAO from the entry's resource (BaseTransactionProcessor: getDaoOrThrowException(
 * res.getClass())) and creates an Observation.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReviewTransactionEntryTypeTest {

  @RegisterExtension
  static final ScopedServer server = ScopedServer.perClass();

  @Test
  void an_entry_whose_resource_type_differs_from_its_url_needs_the_scope_of_the_resource() {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("smuggled");
    bundle.addEntry().setResource(observation)
        .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
    int before = server.fhir().calls("system.transaction");
    HttpResponse<String> response = server.send("POST", "/fhir",
        Outcomes.fhir().newJsonParser().encodeResourceToString(bundle),
        "Authorization", "Bearer " + ScopeTokens.token("system/Patient.c"),
        "Content-Type", "application/fhir+json");
    assertEquals(before, server.fhir().calls("system.transaction"),
        "an Observation create reached the transaction with only system/Patient.c");
    assertEquals(403, response.statusCode(), response::body);
  }
}
