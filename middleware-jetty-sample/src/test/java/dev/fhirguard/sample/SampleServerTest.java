package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts the sample on an ephemeral loopback port and talks to it over real HTTP. */
class SampleServerTest {

  private static final IParser JSON = FhirContext.forR4Cached().newJsonParser();

  private static SampleServer server;
  private static HttpClient client;
  private static String root;
  private static String token;

  @BeforeAll
  static void startServer() throws IOException, InterruptedException {
    server = SampleServer.start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + server.port();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    token = adminToken();
  }

  /** A token from the sample's own token endpoint, for the demo client with every scope. */
  private static String adminToken() throws IOException, InterruptedException {
    String basic = java.util.Base64.getEncoder().encodeToString("admin:admin-secret".getBytes());
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(root + "/auth/token"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void reports_the_bound_port_and_base_url() {
    assertTrue(server.port() > 0);
    assertEquals("http://localhost:" + server.port() + "/fhir", server.baseUrl());
  }

  @Test
  void reads_a_patient_as_fhir_json() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient/1");

    assertEquals(200, response.statusCode());
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    Patient patient = JSON.parseResource(Patient.class, response.body());
    assertEquals("Smith", patient.getNameFirstRep().getFamily());
  }

  @Test
  void serves_the_capability_statement() throws Exception {
    HttpResponse<String> response = get("/fhir/metadata");

    assertEquals(200, response.statusCode());
    CapabilityStatement capabilities =
        JSON.parseResource(CapabilityStatement.class, response.body());
    assertTrue(
        capabilities.getRestFirstRep().getResource().stream()
            .anyMatch(resource -> "Patient".equals(resource.getType())));
  }

  @Test
  void searches_patients_by_name() throws Exception {
    Bundle bundle = searchBundle("/fhir/Patient?name=smi");

    assertFalse(bundle.getEntry().isEmpty());
    Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
    assertEquals("Smith", patient.getNameFirstRep().getFamily());
    assertTrue(searchBundle("/fhir/Patient?name=nobody").getEntry().isEmpty());
  }

  @Test
  void searches_patients_by_id() throws Exception {
    assertEquals(1, searchBundle("/fhir/Patient?_id=2").getEntry().size());
  }

  @Test
  void searches_observations_by_subject_and_patient() throws Exception {
    assertEquals(2, searchBundle("/fhir/Observation?subject=Patient/1").getEntry().size());
    assertEquals(1, searchBundle("/fhir/Observation?patient=2").getEntry().size());
    assertEquals(3, searchBundle("/fhir/Observation").getEntry().size());
  }

  @Test
  void searches_groups() throws Exception {
    Bundle bundle = searchBundle("/fhir/Group");

    assertEquals(1, bundle.getEntry().size());
    assertEquals(3, ((Group) bundle.getEntryFirstRep().getResource()).getMember().size());
  }

  @Test
  void creates_updates_and_deletes_patients() throws Exception {
    Patient patient = new Patient();
    patient.addName().setFamily("Created").addGiven("Carla");
    HttpResponse<String> created =
        send("POST", "/fhir/Patient", JSON.encodeResourceToString(patient));
    assertEquals(201, created.statusCode(), created.body());
    String location = created.headers().firstValue("Location").orElseThrow();
    String id = location.replaceAll(".*/Patient/([^/]+).*", "$1");

    patient.setId(id);
    patient.getNameFirstRep().setFamily("Updated");
    HttpResponse<String> updated =
        send("PUT", "/fhir/Patient/" + id, JSON.encodeResourceToString(patient));
    assertEquals(200, updated.statusCode(), updated.body());
    assertEquals(
        "Updated",
        JSON.parseResource(Patient.class, get("/fhir/Patient/" + id).body())
            .getNameFirstRep().getFamily());

    int deleted = send("DELETE", "/fhir/Patient/" + id, null).statusCode();
    assertTrue(deleted == 200 || deleted == 204, "DELETE answered " + deleted);
    assertEquals(410, get("/fhir/Patient/" + id).statusCode());
  }

  @Test
  void legacy_servlet_answers_ok() throws Exception {
    HttpResponse<String> response = get("/legacy/ok");

    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
  }

  @Test
  void rejects_a_bad_port_with_a_one_line_message() {
    assertEquals(SampleServer.DEFAULT_PORT, SampleServer.parsePort(null));
    assertEquals(SampleServer.DEFAULT_PORT, SampleServer.parsePort(" "));
    assertEquals(9090, SampleServer.parsePort("9090"));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> SampleServer.parsePort("80a"));
    assertEquals("Invalid PORT '80a': expected a number from 0 to 65535.", error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SampleServer.parsePort("70000"));
  }

  // End to end with fhirguard-core: errors of the sample are OperationOutcomes with a request id.

  @Test
  void unknown_patient_is_an_operation_outcome() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient/999");

    assertEquals(404, response.statusCode());
    assertOperationOutcomeWithRequestId(response);
  }

  @Test
  void sql_error_is_hidden() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient/sql-error");

    assertEquals(500, response.statusCode());
    assertOperationOutcomeWithRequestId(response);
    assertFalse(response.body().contains("pk_patient"), response.body());
    assertFalse(response.body().toLowerCase().contains("insert into"), response.body());
  }

  @Test
  void legacy_gateway_error_is_an_operation_outcome() throws Exception {
    HttpResponse<String> response = get("/legacy/unauthorized");

    assertEquals(401, response.statusCode());
    assertOperationOutcomeWithRequestId(response);
  }

  private static void assertOperationOutcomeWithRequestId(HttpResponse<String> response) {
    assertTrue(contentType(response).startsWith("application/fhir+json"), contentType(response));
    OperationOutcome outcome = JSON.parseResource(OperationOutcome.class, response.body());
    assertFalse(outcome.getIssue().isEmpty(), response.body());
    assertNotNull(response.headers().firstValue("X-Request-ID").orElse(null), "X-Request-ID");
  }

  private static Bundle searchBundle(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.parseResource(Bundle.class, response.body());
  }

  private static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  private static HttpResponse<String> send(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(root + path))
            .timeout(Duration.ofSeconds(20))
            .header("Accept", "application/fhir+json")
            .header("Authorization", "Bearer " + token);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/fhir+json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
