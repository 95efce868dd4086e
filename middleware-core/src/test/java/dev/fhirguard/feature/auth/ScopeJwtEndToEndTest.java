package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.ScopeAsserts.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.ScopeTokens.Signer;
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scopes end to end with real RS256 JWTs, verified by fhirguard's own JWT verifier against a PEM
 * public key file and a JWKS file: the scope claim (a string, or {@code scp} as an array) decides.
 */
class ScopeJwtEndToEndTest {

  @TempDir
  static Path keys;

  private static Signer signer;
  private static TestServer pem;
  private static TestServer jwks;

  @BeforeAll
  static void start() {
    signer = new Signer("key-1");
    pem = ScopedFhirServer.app().settings(
        Signer.settings("fhirguard.auth.public-key-file", signer.writePem(keys))).start();
    jwks = ScopedFhirServer.app().settings(
        Signer.settings("fhirguard.auth.jwks-file", signer.writeJwks(keys))).start();
  }

  @AfterAll
  static void stop() {
    if (pem != null) {
      pem.close();
    }
    if (jwks != null) {
      jwks.close();
    }
  }

  private static TestServer server(String which) {
    return which.equals("pem") ? pem : jwks;
  }

  private static String[] bearer(String jwt) {
    return new String[] {"Authorization", "Bearer " + jwt};
  }

  @ParameterizedTest
  @ValueSource(strings = {"pem", "jwks"})
  void a_signed_token_with_the_needed_scope_reaches_the_provider(String which) {
    TestServer server = server(which);
    int before = server.servlet(ScopedFhirServer.class).calls("Patient.read");
    HttpResponse<String> response = server.get("/fhir/Patient/1",
        bearer(signer.sign("jwt-client", "openid system/Patient.rs")));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(before + 1, server.servlet(ScopedFhirServer.class).calls("Patient.read"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pem", "jwks"})
  void a_signed_token_without_the_needed_scope_gets_403_with_the_challenge(String which) {
    TestServer server = server(which);
    int before = server.servlet(ScopedFhirServer.class).totalCalls();
    HttpResponse<String> response = server.get("/fhir/Patient?name=x",
        bearer(signer.sign("jwt-client", "system/Patient.r")));
    assertRefused(response, "GET Patient", "system/Patient.s", "system/Patient.r");
    assertEquals(before, server.servlet(ScopedFhirServer.class).totalCalls());
  }

  @Test
  void scopes_in_an_scp_array_count_like_a_scope_string() {
    String jwt = signer.sign(new JWTClaimsSet.Builder()
        .issuer(Signer.ISSUER).audience(Signer.AUDIENCE).subject("jwt-client")
        .claim("scp", List.of("system/Observation.rs", "user/Patient.r"))
        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
        .build());
    assertEquals(200, pem.get("/fhir/Observation/1", bearer(jwt)).statusCode());
    assertEquals(200, pem.get("/fhir/Patient/1", bearer(jwt)).statusCode());
    assertRefused(pem.send("DELETE", "/fhir/Patient/1", null, bearer(jwt)),
        "DELETE Patient/1", "system/Patient.d", "system/Observation.rs user/Patient.r");
  }

  @Test
  void a_transaction_is_checked_entry_by_entry_with_a_signed_token() {
    String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
        + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/1\"}},"
        + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/1\"}}]}";
    String granted = "system/Patient.r system/Patient.d";
    int before = jwks.servlet(ScopedFhirServer.class).calls("system.transaction");
    HttpResponse<String> allowed = jwks.send("POST", "/fhir", bundle, "Authorization",
        "Bearer " + signer.sign("jwt-client", granted), "Content-Type", "application/fhir+json");
    assertEquals(200, allowed.statusCode(), allowed.body());
    assertEquals(before + 1, jwks.servlet(ScopedFhirServer.class).calls("system.transaction"));

    HttpResponse<String> refused = jwks.send("POST", "/fhir", bundle, "Authorization",
        "Bearer " + signer.sign("jwt-client", "system/Patient.r"),
        "Content-Type", "application/fhir+json");
    assertRefused(refused, "entry 1 (DELETE Patient/1)", "system/Patient.d", "system/Patient.r");
    assertEquals(before + 1, jwks.servlet(ScopedFhirServer.class).calls("system.transaction"));
  }

  @Test
  void a_token_signed_by_another_key_is_401_before_any_scope_is_looked_at() {
    String forged = new Signer("key-1").sign("jwt-client", "system/*.cruds");
    HttpResponse<String> response = pem.get("/fhir/Patient/1", bearer(forged));
    Outcomes.assertError(response, 401, "TOKEN_SIGNATURE_INVALID");
    assertEquals(0, response.headers().allValues("WWW-Authenticate").stream()
        .filter(h -> h.contains("insufficient_scope")).count());
  }
}
