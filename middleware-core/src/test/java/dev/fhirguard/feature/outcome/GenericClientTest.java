package dev.fhirguard.feature.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeAsserts;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a HAPI {@code IGenericClient} sees of fhirguard's 401 and 403: the matching exception
 * whose {@code getOperationOutcome()} is the parsed OperationOutcome with the catalog coding and
 * diagnostics, in JSON and in XML.
 */
class GenericClientTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  private static FhirContext context;

  @BeforeAll
  static void clientContext() {
    context = FhirContext.forR4();
    context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
  }

  private static IGenericClient client(String token, EncodingEnum encoding) {
    IGenericClient client = context.newRestfulGenericClient(server.uri("/fhir").toString());
    client.setEncoding(encoding);
    if (token != null) {
      client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    }
    return client;
  }

  private static OperationOutcome outcomeOf(BaseServerResponseException e) {
    assertNotNull(e.getOperationOutcome(), () -> "no parsed OperationOutcome: " + e.getResponseBody());
    return (OperationOutcome) e.getOperationOutcome();
  }

  private static Coding catalog(OperationOutcome outcome) {
    Coding coding = Outcomes.catalogCoding(outcome.getIssueFirstRep());
    assertNotNull(coding, "catalog coding");
    return coding;
  }

  @ParameterizedTest
  @EnumSource(value = EncodingEnum.class, names = {"JSON", "XML"})
  void a_read_without_a_token_throws_AuthenticationException_with_our_outcome(
      EncodingEnum encoding) {
    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> client(null, encoding).read().resource(Patient.class).withId("1").execute());
    assertEquals(401, e.getStatusCode());
    OperationOutcome outcome = outcomeOf(e);
    assertEquals("TOKEN_MISSING", catalog(outcome).getCode());
    assertEquals(Outcomes.CODE_SYSTEM, catalog(outcome).getSystem());
    assertEquals("login", outcome.getIssueFirstRep().getCode().toCode());
  }

  @Test
  void a_read_with_a_token_the_verifier_refuses_throws_AuthenticationException_with_our_outcome() {
    int before = server.servlet(ScopedFhirServer.class).calls("Patient.read");
    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> client("not-a-scope-token", EncodingEnum.JSON)
            .read().resource(Patient.class).withId("1").execute());
    assertEquals(401, e.getStatusCode());
    assertEquals("TOKEN_MALFORMED", catalog(outcomeOf(e)).getCode());
    assertEquals(before, server.servlet(ScopedFhirServer.class).calls("Patient.read"));
  }

  @ParameterizedTest
  @EnumSource(value = EncodingEnum.class, names = {"JSON", "XML"})
  void a_read_without_its_scope_throws_ForbiddenOperationException_with_our_outcome(
      EncodingEnum encoding) {
    String scopes = "system/Patient.s";
    IGenericClient client = client(ScopeTokens.token(scopes), encoding);
    List<String> challenges = new CopyOnWriteArrayList<>();
    client.registerInterceptor(new IClientInterceptor() {
      @Override
      public void interceptRequest(IHttpRequest request) {}

      @Override
      public void interceptResponse(IHttpResponse response) {
        List<String> values = response.getHeaders("WWW-Authenticate");
        if (values != null) {
          challenges.addAll(values);
        }
      }
    });
    ForbiddenOperationException e = assertThrows(ForbiddenOperationException.class,
        () -> client.read().resource(Patient.class).withId("1").execute());
    assertEquals(403, e.getStatusCode());
    OperationOutcome outcome = outcomeOf(e);
    assertEquals("SCOPE_INSUFFICIENT", catalog(outcome).getCode());
    assertEquals("forbidden", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(ScopeAsserts.diagnostics("GET Patient/1", "system/Patient.r", scopes),
        outcome.getIssueFirstRep().getDiagnostics());
    // the HAPI client does not copy response headers into the exception: seen by an interceptor
    assertEquals(List.of(ScopeAsserts.challenge("system/Patient.r")), challenges);
  }

  @Test
  void a_create_without_its_scope_throws_ForbiddenOperationException() {
    String scopes = "system/Patient.rs";
    ForbiddenOperationException e = assertThrows(ForbiddenOperationException.class,
        () -> client(ScopeTokens.token(scopes), EncodingEnum.JSON)
            .create().resource(new Patient().setActive(true)).execute());
    assertEquals(ScopeAsserts.diagnostics("POST Patient", "system/Patient.c", scopes),
        outcomeOf(e).getIssueFirstRep().getDiagnostics());
  }

  @Test
  void a_transaction_with_a_forbidden_entry_throws_ForbiddenOperationException_naming_it() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/1");
    bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Patient/1");
    String scopes = "system/Patient.rs";
    int before = server.servlet(ScopedFhirServer.class).calls("system.transaction");
    ForbiddenOperationException e = assertThrows(ForbiddenOperationException.class,
        () -> client(ScopeTokens.token(scopes), EncodingEnum.JSON)
            .transaction().withBundle(bundle).execute());
    assertEquals(ScopeAsserts.diagnostics("entry 1 (DELETE Patient/1)", "system/Patient.d", scopes),
        outcomeOf(e).getIssueFirstRep().getDiagnostics());
    assertEquals(before, server.servlet(ScopedFhirServer.class).calls("system.transaction"));
  }

  @Test
  void the_right_scope_lets_the_client_read_and_search() {
    IGenericClient client = client(ScopeTokens.token("system/Patient.rs"), EncodingEnum.JSON);
    Patient patient = client.read().resource(Patient.class).withId("1").execute();
    assertEquals("Chalmers", patient.getNameFirstRep().getFamily());
    Bundle found = client.search().forResource(Patient.class)
        .where(Patient.NAME.matches().value("Chalmers")).returnBundle(Bundle.class).execute();
    assertTrue(found.getEntry().isEmpty());
  }
}
