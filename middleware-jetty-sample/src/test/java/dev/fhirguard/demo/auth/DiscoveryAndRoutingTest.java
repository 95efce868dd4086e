package dev.fhirguard.demo.auth;

import static dev.fhirguard.demo.auth.AuthServerFixture.assertError;
import static dev.fhirguard.demo.auth.AuthServerFixture.header;
import static dev.fhirguard.demo.auth.AuthServerFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JWKS, the SMART configuration and the JSON 404s of /auth. */
class DiscoveryAndRoutingTest {

  @RegisterExtension
  static final AuthServerFixture server = AuthServerFixture.perClass();

  @Test
  void jwks_publishes_only_the_public_signing_key() throws Exception {
    HttpResponse<String> response = server.get("/auth/jwks");

    assertEquals(200, response.statusCode());
    assertTrue(header(response, "Content-Type").startsWith("application/jwk-set+json"));
    assertEquals("public, max-age=300", header(response, "Cache-Control"));
    JWKSet keys = JWKSet.parse(response.body());
    assertEquals(1, keys.getKeys().size());
    assertFalse(keys.getKeys().get(0).isPrivate());
    assertFalse(response.body().contains("\"d\""), "no private exponent");
  }

  @Test
  void post_to_jwks_is_method_not_allowed() throws Exception {
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(
        URI.create(server.auth().jwksUrl())).POST(HttpRequest.BodyPublishers.noBody()));

    assertError(response, 405, "invalid_request");
    assertEquals("GET, HEAD", header(response, "Allow"));
  }

  @Test
  void unknown_path_under_auth_is_a_json_not_found() throws Exception {
    String description = assertError(server.get("/auth/authorize"), 404, "not_found");

    assertTrue(description.contains("POST /auth/token"), description);
  }

  @Test
  void bare_auth_path_is_a_json_not_found() throws Exception {
    assertError(server.get("/auth"), 404, "not_found");
  }

  @Test
  void smart_configuration_describes_the_backend_services_server() throws Exception {
    HttpResponse<String> response = server.get(AuthServerFixture.SMART_CONFIGURATION);

    assertEquals(200, response.statusCode());
    assertTrue(header(response, "Content-Type").startsWith("application/json"));
    Map<String, Object> config = json(response);
    assertEquals(server.url("/auth/token"), config.get("token_endpoint"));
    assertEquals(server.url("/auth/jwks"), config.get("jwks_uri"));
    assertEquals(List.of("client_credentials"), config.get("grant_types_supported"));
    assertEquals(List.of("private_key_jwt", "client_secret_basic"),
        config.get("token_endpoint_auth_methods_supported"));
    assertEquals(List.of("RS384", "ES384"),
        config.get("token_endpoint_auth_signing_alg_values_supported"));
    assertEquals(List.of("client-confidential-asymmetric", "client-confidential-symmetric",
        "permission-v1", "permission-v2"), config.get("capabilities"));
    @SuppressWarnings("unchecked")
    List<String> scopes = (List<String>) config.get("scopes_supported");
    assertTrue(scopes.containsAll(List.of("system/*.rs", "system/Patient.r")), scopes.toString());
  }

  @Test
  void url_accessors_follow_the_public_base() {
    assertEquals(server.url("/auth"), server.auth().issuer());
    assertEquals(server.url("/auth/token"), server.auth().tokenUrl());
    assertEquals(server.url("/auth/jwks"), server.auth().jwksUrl());
    assertEquals(server.url("/fhir"), server.auth().audience());
  }

  @Test
  void the_smart_configuration_has_no_issuer_without_sso_openid_connect() throws Exception {
    Map<String, Object> config = json(server.get(AuthServerFixture.SMART_CONFIGURATION));

    @SuppressWarnings("unchecked")
    List<String> capabilities = (List<String>) config.get("capabilities");
    assertFalse(capabilities.contains("sso-openid-connect"), capabilities.toString());
    assertFalse(config.containsKey("issuer"), config.toString());
  }
}
