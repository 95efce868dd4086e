package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static dev.fhirguard.testing.AuthAssertions.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the verification keys come from: a JWKS fetched over HTTP from a real, counting key
 * server (cached, refetched at most once per interval for unknown key ids, rotated keys picked
 * up), a JWKS file, or a PEM public key; and what happens when the key server is down.
 */
class JwksFetchTest {

  private static final String PATIENT = "/fhir/Patient/1";

  private final TestClock clock = TestClock.atNow();
  private JwksServer jwks;
  private TestServer server;

  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (jwks != null) {
      jwks.close();
    }
  }

  private static Map<String, String> basics() {
    return new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE));
  }

  private TestServer serve(Map<String, String> settings) {
    server = TestServer.tokenApp().settings(settings).clock(clock).start();
    return server;
  }

  private TestServer serveJwks(JWKSet keys) {
    return serveJwks(keys, Map.of());
  }

  private TestServer serveJwks(JWKSet keys, Map<String, String> more) {
    jwks = JwksServer.start(keys);
    Map<String, String> settings = basics();
    settings.put("fhirguard.auth.jwks-url", jwks.url().toString());
    settings.putAll(more);
    return serve(settings);
  }

  private HttpResponse<String> call(String token) {
    return server.get(PATIENT, "Authorization", "Bearer " + token);
  }

  private String signedBy(RSAKey key) {
    return Tokens.sign(key, JWSAlgorithm.RS256, Tokens.claims(clock).build());
  }

  private String unknownKid() {
    RSAKey stranger = new RSAKey.Builder(Tokens.rsaKey()).keyID("kid-" + UUID.randomUUID()).build();
    return signedBy(stranger);
  }

  private static void assertOk(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response::body);
  }

  private static void assertKeyUnknown(HttpResponse<String> response) {
    assertUnauthorized(response, "TOKEN_KEY_UNKNOWN", "security", "kid not in the issuer's key set");
  }

  // ---- a JWKS URL

  @Test
  void keys_are_fetched_over_http_once_and_reused_for_every_token() {
    serveJwks(Tokens.sharedPublicSet());
    assertEquals(0, jwks.requests(), "nothing is fetched before the first token");
    for (int i = 0; i < 10; i++) {
      assertOk(call(signedBy(Tokens.rsaKey())));
    }
    assertOk(call(Tokens.sign(Tokens.ec256Key(), JWSAlgorithm.ES256, Tokens.claims(clock).build())));
    assertEquals(1, jwks.requests());
  }

  @Test
  void fifty_random_unknown_kids_cost_the_key_server_at_most_one_refetch_per_interval()
      throws Exception {
    serveJwks(Tokens.sharedPublicSet());
    assertOk(call(signedBy(Tokens.rsaKey())));
    int afterLoad = jwks.requests();
    assertEquals(1, afterLoad);
    for (int i = 0; i < 50; i++) {
      assertKeyUnknown(call(unknownKid()));
    }
    assertTrue(jwks.requests() <= 2, () -> "the key server saw " + jwks.requests());

    clock.advance(Duration.ofSeconds(31));
    int before = jwks.requests();
    assertKeyUnknown(call(unknownKid()));
    assertEquals(before + 1, jwks.requests(), "one refetch once the interval has passed");
    for (int i = 0; i < 20; i++) {
      assertKeyUnknown(call(unknownKid()));
    }
    assertEquals(before + 1, jwks.requests(), "and no more within the new interval");
  }

  @Test
  void fifty_concurrent_unknown_kids_as_the_very_first_tokens_cost_at_most_two_fetches()
      throws Exception {
    serveJwks(Tokens.sharedPublicSet());
    List<String> tokens = java.util.stream.IntStream.range(0, 50).mapToObj(i -> unknownKid()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<HttpResponse<String>>> answers = pool.invokeAll(
          tokens.stream().map(t -> (java.util.concurrent.Callable<HttpResponse<String>>) () -> call(t))
              .toList());
      for (Future<HttpResponse<String>> answer : answers) {
        assertKeyUnknown(answer.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(jwks.requests() >= 1 && jwks.requests() <= 2,
        () -> "the key server saw " + jwks.requests());
  }

  @Test
  void a_rotated_in_key_is_accepted_after_the_refetch_interval_and_a_rotated_out_key_after_the_ttl() {
    RSAKey current = Tokens.rsaKey();
    RSAKey next = Tokens.rsa("rsa-2");
    serveJwks(Tokens.publicSet(current));
    assertOk(call(signedBy(current)));

    jwks.keys(Tokens.publicSet(current, next));
    assertKeyUnknown(call(signedBy(next))); // the interval since the first fetch has not passed
    assertEquals(1, jwks.requests());
    clock.advance(Duration.ofSeconds(31));
    assertOk(call(signedBy(next)));
    assertEquals(2, jwks.requests());
    assertOk(call(signedBy(current)));

    jwks.keys(Tokens.publicSet(next));
    clock.advance(Duration.ofMinutes(11)); // past the default 10m jwks-cache-ttl
    assertKeyUnknown(call(signedBy(current)));
    assertOk(call(signedBy(next)));
    assertEquals(3, jwks.requests());
  }

  @Test
  void a_key_server_down_at_first_use_is_a_503_with_retry_after_and_no_host_in_the_body() {
    Map<String, String> settings = basics();
    java.net.URI nowhere = JwksServer.unreachableUrl();
    settings.put("fhirguard.auth.jwks-url", nowhere.toString());
    serve(settings);
    HttpResponse<String> response = call(signedBy(Tokens.rsaKey()));
    assertUnavailable(response, ":" + nowhere.getPort(), "certs", "realms");
    assertEquals("30", response.headers().firstValue("Retry-After").orElseThrow(),
        "Retry-After is the refetch interval");
  }

  @Test
  void a_failing_key_server_is_a_503_and_tokens_are_accepted_again_after_the_retry_after() {
    serveJwks(Tokens.sharedPublicSet());
    jwks.failing(true);
    HttpResponse<String> refused = call(signedBy(Tokens.rsaKey()));
    assertUnavailable(refused, "exploded", String.valueOf(jwks.port()));
    jwks.failing(false);
    clock.advance(Duration.ofSeconds(
        Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())));
    assertOk(call(signedBy(Tokens.rsaKey())));
  }

  @Test
  void a_key_server_that_is_down_is_asked_once_per_refetch_interval_not_once_per_request() {
    serveJwks(Tokens.sharedPublicSet());
    jwks.failing(true);
    for (int i = 0; i < 20; i++) {
      assertUnavailable(call(signedBy(Tokens.rsaKey())));
    }
    assertEquals(1, jwks.requests());
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 20; i++) {
      assertUnavailable(call(signedBy(Tokens.rsaKey())));
    }
    assertEquals(2, jwks.requests());
  }

  @Test
  void after_the_key_cache_expires_a_down_key_server_is_not_asked_once_per_request() {
    serveJwks(Tokens.sharedPublicSet(), Map.of("fhirguard.auth.jwks-outage-tolerance", "0s"));
    assertOk(call(signedBy(Tokens.rsaKey())));
    jwks.failing(true);
    clock.advance(Duration.ofMinutes(11)); // past the default 10m jwks-cache-ttl
    for (int i = 0; i < 20; i++) {
      assertUnavailable(call(signedBy(Tokens.rsaKey())));
    }
    assertEquals(2, jwks.requests());
  }

  @Test
  void during_an_outage_the_keys_last_served_verify_tokens_for_the_outage_tolerance_only() {
    serveJwks(Tokens.sharedPublicSet(), Map.of("fhirguard.auth.jwks-outage-tolerance", "30m"));
    assertOk(call(signedBy(Tokens.rsaKey())));
    jwks.failing(true);
    clock.advance(Duration.ofMinutes(11)); // the 10m key cache has expired; the server is down
    assertOk(call(signedBy(Tokens.rsaKey())));
    assertUnavailable(call(unknownKid()));
    clock.advance(Duration.ofMinutes(20)); // 31m after the last good fetch
    assertUnavailable(call(signedBy(Tokens.rsaKey())));
    jwks.failing(false);
    clock.advance(Duration.ofSeconds(31)); // past the refetch interval: asked again, and it answers
    assertOk(call(signedBy(Tokens.rsaKey())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[]", "7", "\"keys\"", "{\"keys\":null}", "{\"keys\":[null]}",
      "{\"keys\":{}}", "<html>"})
  void a_key_server_answering_json_that_is_no_key_set_is_a_503_logged_as_one_warning(String body) {
    serveJwks(Tokens.sharedPublicSet());
    jwks.garbage(body);
    try (LogCapture logs = new LogCapture()) {
      assertUnavailable(call(signedBy(Tokens.rsaKey())));
      logs.assertQuiet();
      assertTrue(logs.at(Level.WARN).stream()
          .anyMatch(event -> event.getFormattedMessage().contains("could not be fetched")),
          () -> LogCapture.render(logs.events()));
    }
  }

  @Test
  void keys_already_fetched_keep_working_while_the_key_server_fails() {
    serveJwks(Tokens.sharedPublicSet());
    assertOk(call(signedBy(Tokens.rsaKey())));
    jwks.failing(true);
    clock.advance(Duration.ofSeconds(31));
    assertOk(call(signedBy(Tokens.rsaKey())));
    assertOk(call(Tokens.sign(Tokens.ec384Key(), JWSAlgorithm.ES384, Tokens.claims(clock).build())));
  }

  @Test
  void the_refetch_interval_is_configurable_and_retry_after_follows_it() {
    jwks = JwksServer.start(Tokens.sharedPublicSet());
    Map<String, String> settings = basics();
    settings.put("fhirguard.auth.jwks-url", jwks.url().toString());
    settings.put("fhirguard.auth.jwks-refetch-interval", "5m");
    settings.put("fhirguard.auth.jwks-outage-tolerance", "0s");
    serve(settings);
    assertOk(call(signedBy(Tokens.rsaKey())));
    clock.advance(Duration.ofSeconds(31));
    assertKeyUnknown(call(unknownKid()));
    assertEquals(1, jwks.requests(), "31s is inside a 5m interval");
    clock.advance(Duration.ofMinutes(5));
    assertKeyUnknown(call(unknownKid()));
    assertEquals(2, jwks.requests());
    jwks.failing(true);
    clock.advance(Duration.ofMinutes(11));
    assertEquals("300", call(signedBy(Tokens.rsaKey())).headers().firstValue("Retry-After")
        .orElse("none"));
  }

  // ---- files

  @Test
  void a_jwks_file_is_a_key_source_and_its_kids_are_matched() throws IOException {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, Tokens.sharedPublicSet().toString());
    Map<String, String> settings = basics();
    settings.put("fhirguard.auth.jwks-file", file.toString());
    serve(settings);
    assertOk(call(signedBy(Tokens.rsaKey())));
    assertOk(call(Tokens.sign(Tokens.ec256Key(), JWSAlgorithm.ES256, Tokens.claims(clock).build())));
    assertKeyUnknown(call(unknownKid()));
  }

  @Test
  void a_pem_rsa_public_key_file_verifies_rs256_and_ps256_whatever_the_kid() throws Exception {
    Path file = dir.resolve("issuer.pem");
    Files.writeString(file, Tokens.pem(Tokens.rsaKey().toRSAPublicKey()));
    Map<String, String> settings = basics();
    settings.put("fhirguard.auth.public-key-file", file.toString());
    serve(settings);
    assertOk(call(signedBy(Tokens.rsaKey())));
    assertOk(call(Tokens.sign(Tokens.rsaKey(), JWSAlgorithm.PS256, Tokens.claims(clock).build())));
    assertOk(call(unknownKid())); // a single PEM key has no id to match
    assertUnauthorized(call(signedBy(Tokens.rsa("rsa-1"))), "TOKEN_SIGNATURE_INVALID", "security",
        "signature does not verify");
    assertKeyUnknown(call(
        Tokens.sign(Tokens.ec256Key(), JWSAlgorithm.ES256, Tokens.claims(clock).build())));
  }

  @Test
  void a_pem_ec_public_key_file_verifies_es256() throws Exception {
    Path file = dir.resolve("ec.pem");
    Files.writeString(file, Tokens.pem(Tokens.ec256Key().toECPublicKey()));
    Map<String, String> settings = basics();
    settings.put("fhirguard.auth.public-key-file", file.toString());
    serve(settings);
    assertOk(call(Tokens.sign(Tokens.ec256Key(), JWSAlgorithm.ES256, Tokens.claims(clock).build())));
  }

  private FhirGuardConfigException buildFails(String key, String file, String content)
      throws IOException {
    Path path = dir.resolve(file);
    Files.write(path, content.getBytes(StandardCharsets.ISO_8859_1));
    Map<String, String> settings = basics();
    settings.put(key, path.toString());
    FhirGuardConfigException thrown = assertThrows(FhirGuardConfigException.class,
        () -> FhirGuard.builder().config(FhirGuardConfig.load(settings)).build());
    assertTrue(thrown.problems().stream().anyMatch(p -> p.startsWith(key)),
        () -> "a problem naming " + key + " expected: " + thrown.problems());
    return thrown;
  }

  @Test
  void a_pem_file_with_garbage_between_the_markers_fails_the_build() throws IOException {
    buildFails("fhirguard.auth.public-key-file", "garbage.pem",
        "-----BEGIN PUBLIC KEY-----\nTm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0\n-----END PUBLIC KEY-----\n");
  }

  @Test
  void a_pem_file_with_binary_junk_fails_the_build() throws IOException {
    buildFails("fhirguard.auth.public-key-file", "junk.pem",
        "-----BEGIN PUBLIC KEY-----\n\u0000\u00ff\u0010**!!\n-----END PUBLIC KEY-----\n");
  }

  @Test
  void a_pem_private_key_or_certificate_is_not_a_public_key_file() throws Exception {
    String base64 = java.util.Base64.getEncoder().encodeToString(
        Tokens.rsaKey().toRSAPrivateKey().getEncoded());
    buildFails("fhirguard.auth.public-key-file", "private.pem",
        "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
  }

  @Test
  void a_jwks_file_that_is_not_json_fails_the_build() throws IOException {
    buildFails("fhirguard.auth.jwks-file", "keys.json", "{ this is not a key set");
  }

  @Test
  void a_jwks_file_with_only_a_symmetric_key_fails_the_build() throws Exception {
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("oct").generate();
    FhirGuardConfigException thrown =
        buildFails("fhirguard.auth.jwks-file", "oct.json", new JWKSet(secret).toString(false));
    assertTrue(thrown.getMessage().contains("no public key"), thrown::getMessage);
    assertTrue(!thrown.getMessage().contains(secret.getKeyValue().toString()),
        "the secret is not repeated in the error");
  }
}
