package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.sample.SampleServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole sample as a client meets it: tokens from its SMART token endpoint (signed client
 * assertions and client secrets), verified by fhirguard through the JWKS URL over HTTP, then
 * scopes and address allow-lists checked on real FHIR requests.
 */
class SampleSecurityTest {

  private static SampleServer server;
  private static HttpClient http;
  private static String root;

  @BeforeAll
  static void start() {
    server = SampleServer.start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + server.port();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void a_token_from_a_signed_client_assertion_reads_patients() throws Exception {
    String token = assertionToken("reader", "system/Patient.rs");

    HttpResponse<String> response = get("/fhir/Patient?name=smi", token);

    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void an_es_384_and_an_rs_384_client_both_get_tokens_that_the_server_accepts() throws Exception {
    assertEquals(200, get("/fhir/Observation/1", assertionToken("reader", null)).statusCode());
    assertEquals(200, get("/fhir/Group/1", assertionToken("bulk-exporter", null)).statusCode());
  }

  @Test
  void a_request_without_a_token_is_refused_with_a_bare_challenge() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient/1", null);

    assertEquals(401, response.statusCode());
    assertEquals("Bearer realm=\"fhir\"", header(response, "WWW-Authenticate"));
    assertEquals("TOKEN_MISSING", catalogCode(response));
  }

  @Test
  void a_64_kilobyte_authorization_header_is_a_401_not_a_500() throws Exception {
    String huge = "a".repeat(64 * 1024);

    HttpResponse<String> response = get("/fhir/Patient/1", huge);

    assertEquals(401, response.statusCode());
    assertEquals("TOKEN_MALFORMED", catalogCode(response));
    assertFalse(response.body().contains(huge.substring(0, 100)));
  }

  @Test
  void an_altered_token_is_refused_as_invalid() throws Exception {
    String token = basicToken("writer:writer-secret", null);
    String altered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

    HttpResponse<String> response = get("/fhir/Patient/1", altered);

    assertEquals(401, response.statusCode());
    assertEquals("TOKEN_SIGNATURE_INVALID", catalogCode(response));
    assertTrue(header(response, "WWW-Authenticate").contains("error=\"invalid_token\""));
    assertFalse(response.body().contains(altered));
  }

  @Test
  void a_client_without_the_search_scope_is_told_which_scope_it_needs() throws Exception {
    String token = basicToken("patient-reader:patient-reader-secret", null);

    assertEquals(200, get("/fhir/Patient/1", token).statusCode());
    HttpResponse<String> search = get("/fhir/Patient?name=smi", token);

    assertEquals(403, search.statusCode());
    assertEquals("SCOPE_INSUFFICIENT", catalogCode(search));
    assertEquals("Bearer realm=\"fhir\", error=\"insufficient_scope\", scope=\"system/Patient.s\"",
        header(search, "WWW-Authenticate"));
  }

  @Test
  void the_ip_restricted_client_is_refused_from_loopback() throws Exception {
    String token = basicToken("ip-restricted:ip-restricted-secret", null);

    HttpResponse<String> response = get("/fhir/Patient/1", token);

    assertEquals(403, response.statusCode());
    assertEquals("CLIENT_ADDRESS_NOT_ALLOWED", catalogCode(response));
    assertTrue(outcome(response).getIssueFirstRep().getDiagnostics()
        .contains("IP address not whitelisted"));
  }

  @Test
  void metadata_and_the_smart_configuration_need_no_token() throws Exception {
    assertEquals(200, get("/fhir/metadata", null).statusCode());
    HttpResponse<String> smart = get("/fhir/.well-known/smart-configuration", null);
    assertEquals(200, smart.statusCode());
    assertTrue(smart.body().contains(root + "/auth/token"),
        smart.body());
  }

  // ---- helpers

  private static String assertionToken(String clientId, String scope) throws Exception {
    String tokenUrl = root + "/auth/token";
    String form = "grant_type=client_credentials"
        + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        + "&client_assertion=" + ClientAssertionTool.sign(clientId, tokenUrl, Instant.now())
        + (scope == null ? "" : "&scope=" + enc(scope));
    return token(HttpRequest.newBuilder(URI.create(tokenUrl)), form);
  }

  private static String basicToken(String credentials, String scope) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + "/auth/token"))
        .header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    return token(request, "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + enc(scope)));
  }

  private static String token(HttpRequest.Builder request, String form) throws Exception {
    HttpResponse<String> response = http.send(
        request.header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path))
        .header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static OperationOutcome outcome(HttpResponse<String> response) {
    return FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
  }

  private static String catalogCode(HttpResponse<String> response) {
    return outcome(response).getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
