package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeAsserts;
import dev.fhirguard.testing.ScopeTokens;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches and transactions: each entry is checked as if it were sent alone, before HAPI's
 * transaction method runs. One entry without its scope refuses the whole bundle, batch included
 * (fhirguard does not answer a batch entry by entry).
 */
class TransactionScopeTest {

  @RegisterExtension
  static final TestServer server = ScopedFhirServer.appWithTestTokens().perClass();

  /** How a bundle travels. */
  enum Body {
    JSON("application/fhir+json"),
    XML("application/fhir+xml");

    final String type;

    Body(String type) {
      this.type = type;
    }

    String encode(Bundle bundle) {
      return this == JSON
          ? Outcomes.fhir().newJsonParser().encodeResourceToString(bundle)
          : Outcomes.fhir().newXmlParser().encodeResourceToString(bundle);
    }
  }

  /** Entry 0 creates a Patient, entry 1 reads Patient/1, entry 2 deletes Observation/5. */
  private static Bundle threeEntries(BundleType type) {
    Bundle bundle = new Bundle().setType(type);
    bundle.addEntry().setResource(new Patient().setActive(true)).getRequest()
        .setMethod(HTTPVerb.POST).setUrl("Patient");
    bundle.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/1");
    bundle.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Observation/5");
    return bundle;
  }

  private static Bundle oneEntry(HTTPVerb method, String url) {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    bundle.addEntry().getRequest().setMethod(method).setUrl(url);
    return bundle;
  }

  private HttpResponse<String> post(Body body, Bundle bundle, String scopes) {
    return server.send("POST", "/fhir", body.encode(bundle), "Authorization",
        "Bearer " + ScopeTokens.token(scopes), "Content-Type", body.type);
  }

  private static int transactions() {
    return server.servlet(ScopedFhirServer.class).calls("system.transaction");
  }

  @ParameterizedTest
  @EnumSource(Body.class)
  void a_transaction_with_one_forbidden_entry_is_refused_naming_the_entry_and_its_scope(Body body) {
    String scopes = "system/Patient.cr system/Observation.rs";
    int before = transactions();
    HttpResponse<String> response = post(body, threeEntries(BundleType.TRANSACTION), scopes);
    assertRefused(response, "entry 2 (DELETE Observation/5)", "system/Observation.d", scopes);
    assertEquals(before, transactions(), "the transaction method must not run");
  }

  @ParameterizedTest
  @EnumSource(Body.class)
  void a_batch_with_one_forbidden_entry_is_refused_as_a_whole(Body body) {
    String scopes = "system/Patient.r system/Observation.d";
    int before = transactions();
    HttpResponse<String> response = post(body, threeEntries(BundleType.BATCH), scopes);
    assertRefused(response, "entry 0 (POST Patient)", "system/Patient.c", scopes);
    assertEquals(before, transactions(), "the batch must not run");
  }

  @ParameterizedTest
  @EnumSource(Body.class)
  void a_transaction_whose_entries_are_all_allowed_runs(Body body) {
    int before = transactions();
    HttpResponse<String> response =
        post(body, threeEntries(BundleType.TRANSACTION), "system/Patient.cr system/Observation.d");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("transaction-response"), response.body());
    assertEquals(before + 1, transactions());
  }

  @ParameterizedTest
  @EnumSource(Body.class)
  void a_batch_whose_entries_are_all_allowed_runs(Body body) {
    int before = transactions();
    HttpResponse<String> response =
        post(body, threeEntries(BundleType.BATCH), "system/*.cruds");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("batch-response"), response.body());
    assertEquals(before + 1, transactions());
  }

  @Test
  void an_entry_without_a_url_is_judged_by_its_resource_type() {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    bundle.addEntry().setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL))
        .getRequest().setMethod(HTTPVerb.POST);
    String scopes = "system/Patient.c";
    HttpResponse<String> response = post(Body.JSON, bundle, scopes);
    assertRefused(response, "entry 0 (POST Observation)", "system/Observation.c", scopes);
  }

  @ParameterizedTest(name = "{0} {1} with [{2}] needs {3}")
  @CsvSource(delimiter = '|', value = {
      "PUT    | Patient?identifier=x | system/Patient.crds | system/Patient.u",
      "DELETE | Patient?identifier=x | system/Patient.crus | system/Patient.d",
      "GET    | Patient?name=x       | system/Patient.r    | system/Patient.s",
      "GET    | Patient/1/_history/2 | system/Patient.s    | system/Patient.r",
      "PATCH  | Patient/1            | system/Patient.rs   | system/Patient.u",
      "GET    | Observation?category=vital-signs | system/Observation.rs?category=laboratory | system/Observation.s",
  })
  void each_entry_needs_what_the_same_request_would_need_alone(
      String method, String url, String scopes, String needed) {
    int before = transactions();
    HttpResponse<String> response = post(Body.JSON, oneEntry(HTTPVerb.fromCode(method), url), scopes);
    assertRefused(response, "entry 0 (" + method + " " + url.replaceFirst("\\?.*", "") + ")",
        needed, scopes);
    assertEquals(before, transactions());
  }

  @Test
  void a_query_constrained_scope_permits_a_search_entry_with_the_constrained_value() {
    int before = transactions();
    HttpResponse<String> response = post(Body.JSON,
        oneEntry(HTTPVerb.GET, "Observation?category=laboratory"),
        "system/Observation.rs?category=laboratory");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(before + 1, transactions());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      // an absolute URL is no shape the rules know: a write needs every permission
      "DELETE | http://other.example/fhir/Patient/1",
      // deleting a version is a write, not a vread
      "DELETE | Patient/1/_history/2",
      // POST to an instance is no FHIR interaction
      "POST   | Patient/1",
  })
  void a_write_entry_of_an_unknown_shape_fails_closed_for_a_read_only_token(
      String method, String url) {
    String scopes = "system/*.rs";
    int before = transactions();
    HttpResponse<String> response = post(Body.JSON, oneEntry(HTTPVerb.fromCode(method), url), scopes);
    assertEquals(403, response.statusCode(), response.body());
    assertEquals(ScopeAsserts.challenge("system/*.c"),
        response.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(before, transactions(), "a read-only token must not run a write");
  }

  @Test
  void a_bundle_is_read_as_hapi_reads_it_whatever_content_type_comes_first() {
    // HAPI takes the first FHIR type among comma-separated Content-Type values
    String scopes = "system/Patient.r";
    int before = transactions();
    HttpResponse<String> response = server.send("POST", "/fhir",
        Body.XML.encode(oneEntry(HTTPVerb.DELETE, "Patient/1")),
        "Authorization", "Bearer " + ScopeTokens.token(scopes),
        "Content-Type", "text/plain, application/fhir+xml");
    assertRefused(response, "entry 0 (DELETE Patient/1)", "system/Patient.d", scopes);
    assertEquals(before, transactions());
  }

  @Test
  void a_bundle_is_decoded_with_the_charset_the_request_declares() throws Exception {
    String scopes = "system/Patient.r";
    int before = transactions();
    byte[] utf16 = Body.JSON.encode(oneEntry(HTTPVerb.DELETE, "Patient/1"))
        .getBytes(StandardCharsets.UTF_16);
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/fhir"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + ScopeTokens.token(scopes))
            .header("Content-Type", "application/fhir+json; charset=UTF-16")
            .POST(HttpRequest.BodyPublishers.ofByteArray(utf16)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertRefused(response, "entry 0 (DELETE Patient/1)", "system/Patient.d", scopes);
    assertEquals(before, transactions());
  }

  @Test
  void a_bundle_fhirguard_cannot_read_is_refused_unless_the_token_grants_everything() {
    String broken = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[";
    int before = transactions();
    HttpResponse<String> narrow = server.send("POST", "/fhir", broken,
        "Authorization", "Bearer " + ScopeTokens.token("system/Patient.rs"),
        "Content-Type", "application/fhir+json");
    assertEquals(403, narrow.statusCode(), narrow.body());
    HttpResponse<String> full = server.send("POST", "/fhir", broken,
        "Authorization", "Bearer " + ScopeTokens.token("system/*.cruds"),
        "Content-Type", "application/fhir+json");
    Outcomes.assertError(full, 400, null); // HAPI's own refusal of the body
    assertEquals(before, transactions());
  }

  /**
   * A HAPI JPA server picks the DAO from the entry's resource (BaseTransactionProcessor:
   * getDaoOrThrowException(res.getClass())), not from its URL: an entry {@code POST Patient} whose
   * resource is an Observation creates an Observation.
   */
  @Test
  void an_entry_whose_resource_type_differs_from_its_url_needs_the_scope_of_the_resource() {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("smuggled");
    bundle.addEntry().setResource(observation)
        .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
    int before = server.servlet(ScopedFhirServer.class).calls("system.transaction");
    HttpResponse<String> response = server.send("POST", "/fhir",
        Outcomes.fhir().newJsonParser().encodeResourceToString(bundle),
        "Authorization", "Bearer " + ScopeTokens.token("system/Patient.c"),
        "Content-Type", "application/fhir+json");
    assertEquals(before, server.servlet(ScopedFhirServer.class).calls("system.transaction"),
        "an Observation create reached the transaction with only system/Patient.c");
    assertEquals(403, response.statusCode(), response::body);
  }
}
