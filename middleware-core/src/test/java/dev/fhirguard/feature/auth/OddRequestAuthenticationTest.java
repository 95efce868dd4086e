package dev.fhirguard.feature.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.Tokens;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Path shapes the container and HAPI read differently never reach a protected resource without a
 * token, and hostile JOSE headers are a 401, never a 5xx.
 */
class OddRequestAuthenticationTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("odd-requests");
    Path jwks = Files.writeString(dir.resolve("keys.json"), Tokens.sharedPublicSet().toString());
    server = TestServer.start(FhirGuard.create(FhirGuardConfig.load(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.jwks-file", jwks.toString()))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/fhir/metadata;x=1", "/fhir/metadata;/../Patient/1", "/fhir;x/Patient/1",
      "/fhir/metadata/../Patient/1", "/fhir/metadata%2F..%2FPatient%2F1", "/fhir//Patient/1",
      "/fhir/./Patient/1", "/fhir/Patient/1;", "/fhir/%50atient/1", "/FHIR/Patient/1",
      "/fhir/metadata/", "/fhir/Patient/1?_format=json", "/fhir/metadata%00/Patient",
      "/fhir/.well-known/smart-configuration/../../Patient/1",
      "/fhir/.well-known/smart-configuration;/../../Patient/1"})
  void odd_paths_never_serve_a_protected_resource_without_a_token(String target) {
    RawHttp.Response response = server.rawGet(target);
    assertFalse(response.status() == 200 && response.body().contains("\"Patient\""),
        () -> target + " -> " + response);
    assertTrue(response.status() >= 400 || response.body().contains("CapabilityStatement"),
        () -> target + " -> " + response);
  }

  @Test
  void head_and_trace_need_a_token_too() {
    assertEquals(401, server.send("HEAD", "/fhir/Patient/1", null).statusCode());
    RawHttp.Response trace = server.raw("TRACE /plain/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer abc.def.ghi\r\nConnection: close\r\n\r\n");
    assertFalse(trace.body().contains("abc.def.ghi"), trace::toString);
  }

  @Test
  void hostile_headers_are_refused_with_401() throws Exception {
    RSAKey attacker = Tokens.rsa(Tokens.rsaKey().getKeyID());
    var claims = Tokens.claims(Clock.systemUTC()).build();
    List<String> tokens = List.of(
        // attacker key embedded as jwk, same kid as the trusted key
        Tokens.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(attacker.getKeyID()).jwk(attacker.toPublicJWK()).build(), claims),
        // jku pointing elsewhere
        Tokens.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(attacker.getKeyID()).jwkURL(URI.create("http://127.0.0.1:1/jwks")).build(),
            claims),
        // a critical header the server does not understand, correctly signed
        Tokens.sign(Tokens.rsaKey(), new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(Tokens.rsaKey().getKeyID()).criticalParams(java.util.Set.of("x-must"))
            .customParam("x-must", 1).build(), claims),
        // HS256 signed with the public key's encoding as secret (alg confusion)
        Tokens.hmac(Tokens.rsaKey().toPublicJWK().toJSONString(), JWSAlgorithm.HS256, claims),
        // deeply nested header JSON
        Tokens.base64Url("{\"alg\":\"RS256\",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}")
            + "." + Tokens.base64Url("{}") + ".AAAA",
        Tokens.base64Url("{\"alg\":123}") + "." + Tokens.base64Url("{}") + ".AAAA",
        Tokens.base64Url("{\"alg\":\"RS256\"}") + "." + Tokens.base64Url("[]") + ".AAAA",
        Tokens.base64Url("{\"alg\":\"RS256\",\"kid\":\"" + "k".repeat(5000) + "\"}") + "."
            + Tokens.base64Url("{}") + ".AAAA");
    for (String token : tokens) {
      var response = server.get("/fhir/Patient/1", "Authorization", "Bearer " + token);
      assertEquals(401, response.statusCode(),
          () -> token.substring(0, Math.min(60, token.length())) + " -> " + response.body());
      assertFalse(response.body().contains(token.substring(0, Math.min(40, token.length()))));
    }
  }
}
