package dev.fhirguard.feature.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.testing.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Start-up validation of the authentication settings: every invalid combination fails the start
 * with one {@link FhirGuardConfigException} whose problems name the key, and secrets never show.
 */
class AuthConfigTest {

  private static final String HMAC = "a-shared-hmac-secret-that-is-long-enough-42";
  private static final String INTROSPECTION_SECRET = "intro-s3cret-value";

  @TempDir Path dir;
  private Path jwksFile;

  @BeforeEach
  void keys() throws IOException {
    jwksFile = dir.resolve("keys.json");
    Files.writeString(jwksFile, Tokens.publicSet(Tokens.ec256Key()).toString());
  }

  /** A complete, valid jwt configuration. */
  private Map<String, String> jwt() {
    Map<String, String> settings = new HashMap<>();
    settings.put("fhirguard.auth.enabled", "true");
    settings.put("fhirguard.auth.issuer", Tokens.ISSUER);
    settings.put("fhirguard.auth.audience", Tokens.AUDIENCE);
    settings.put("fhirguard.auth.jwks-url", "https://auth.example.org/jwks");
    return settings;
  }

  /** Starting a guard with {@code settings} fails; the problems. */
  private static List<String> problems(Map<String, String> settings) {
    FhirGuardConfigException thrown = assertThrows(FhirGuardConfigException.class,
        () -> FhirGuard.create(FhirGuardConfig.load(settings)));
    assertFalse(thrown.problems().isEmpty());
    assertTrue(thrown.getMessage().contains(thrown.problems().get(0)), thrown::getMessage);
    return thrown.problems();
  }

  /** Exactly one problem, naming {@code key} first. */
  private static String onlyProblem(Map<String, String> settings, String key) {
    List<String> problems = problems(settings);
    assertEquals(1, problems.size(), () -> "one problem expected: " + problems);
    assertTrue(problems.get(0).startsWith(key), () -> "problem should name " + key + ": " + problems);
    return problems.get(0);
  }

  @Test
  void a_complete_jwt_configuration_starts() {
    assertDoesNotThrow(() -> FhirGuard.create(FhirGuardConfig.load(jwt())));
  }

  @Test
  void with_authentication_off_no_verifier_setting_is_required() {
    assertDoesNotThrow(() -> FhirGuard.create(FhirGuardConfig.load(Map.of(
        "fhirguard.auth.enabled", "false"))));
  }

  @Test
  void a_plugged_in_verifier_needs_no_issuer_audience_or_key_source() {
    FhirGuardConfig config = FhirGuardConfig.load(Map.of("fhirguard.auth.enabled", "true"));
    assertDoesNotThrow(() -> FhirGuard.builder().config(config)
        .tokenVerifier(token -> new VerifiedClient("app", null, List.of(), Instant.now(), Map.of()))
        .build());
    assertThrows(FhirGuardConfigException.class, () -> FhirGuard.builder().config(config).build(),
        "without the plugged verifier the jwt settings are required");
  }

  @Test
  void the_jwt_verifier_without_an_issuer_fails() {
    Map<String, String> settings = jwt();
    settings.remove("fhirguard.auth.issuer");
    onlyProblem(settings, "fhirguard.auth.issuer");
  }

  @Test
  void the_jwt_verifier_with_an_empty_audience_fails() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.audience", " , ");
    onlyProblem(settings, "fhirguard.auth.audience");
  }

  @Test
  void two_key_sources_fail_naming_all_three_keys() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.jwks-file", jwksFile.toString());
    String problem = problems(settings).get(0);
    for (String key : List.of("fhirguard.auth.jwks-url", "fhirguard.auth.jwks-file",
        "fhirguard.auth.public-key-file")) {
      assertTrue(problem.contains(key), problem);
    }
    assertTrue(problem.contains("found 2"), problem);
  }

  @Test
  void no_key_source_fails() {
    Map<String, String> settings = jwt();
    settings.remove("fhirguard.auth.jwks-url");
    assertTrue(problems(settings).get(0).contains("found 0"));
  }

  @Test
  void hs256_without_a_secret_fails() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", "RS256, HS256");
    onlyProblem(settings, "fhirguard.auth.hmac-secret");
  }

  @Test
  void a_secret_without_an_hs_algorithm_fails_and_is_not_shown() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.hmac-secret", HMAC);
    String problem = onlyProblem(settings, "fhirguard.auth.hmac-secret");
    assertFalse(problem.contains(HMAC), problem);
  }

  @Test
  void hmac_alone_needs_no_asymmetric_key_source() {
    Map<String, String> settings = jwt();
    settings.remove("fhirguard.auth.jwks-url");
    settings.put("fhirguard.auth.algorithms", "HS256");
    settings.put("fhirguard.auth.hmac-secret", HMAC);
    assertDoesNotThrow(() -> FhirGuard.create(FhirGuardConfig.load(settings)));
  }

  @Test
  void a_short_hmac_secret_fails_without_showing_it() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", "HS256");
    settings.put("fhirguard.auth.hmac-secret", "short-secret-123");
    List<String> problems = problems(settings);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("fhirguard.auth.hmac-secret")),
        problems::toString);
    assertFalse(String.join("\n", problems).contains("short-secret-123"), problems::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS384", "HS512", "RS256, HS256, HS512"})
  void a_secret_shorter_than_the_hash_of_a_listed_hs_algorithm_fails_at_start_up(
      String algorithms) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", algorithms);
    settings.put("fhirguard.auth.hmac-secret", "0123456789abcdef0123456789abcdef01234567");
    String problem = onlyProblem(settings, "fhirguard.auth.hmac-secret");
    assertTrue(problem.contains("bytes"), problem);
    assertFalse(problem.contains("0123456789abcdef"), problem);
  }

  @Test
  void a_secret_as_long_as_the_hs512_hash_starts() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", "HS256, HS384, HS512");
    settings.put("fhirguard.auth.hmac-secret", "x".repeat(64));
    assertDoesNotThrow(() -> FhirGuard.create(FhirGuardConfig.load(settings)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "NONE", "RS256, none", "RS999", "HS1"})
  void none_or_an_unknown_algorithm_fails(String algorithms) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", algorithms);
    onlyProblem(settings, "fhirguard.auth.algorithms");
  }

  @Test
  void none_is_refused_with_a_reason() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", "none");
    assertTrue(onlyProblem(settings, "fhirguard.auth.algorithms").contains("never accepted"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "not-an-ip", "10.0.0/8", "10.0.0.0/8x", "::1/129",
      "256.1.1.1", "example.org"})
  void a_bad_trusted_proxy_block_fails(String block) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.client-address.trusted-proxies", "127.0.0.1, " + block);
    onlyProblem(settings, "fhirguard.client-address.trusted-proxies");
  }

  @Test
  void a_bad_client_allow_list_fails_naming_the_client_key() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.clients.lab-app.allowed-addresses", "203.0.113.0/24, 203.0.113.0/40");
    onlyProblem(settings, "fhirguard.clients.lab-app.allowed-addresses");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fhirguard.auth.clock-skew", "fhirguard.auth.jwks-cache-ttl",
      "fhirguard.auth.jwks-refetch-interval", "fhirguard.auth.http-timeout"})
  void a_duration_written_in_words_fails(String key) {
    Map<String, String> settings = jwt();
    settings.put(key, "5 minutes");
    onlyProblem(settings, key);
  }

  @Test
  void a_refetch_interval_below_one_second_fails() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.jwks-refetch-interval", "0s");
    onlyProblem(settings, "fhirguard.auth.jwks-refetch-interval");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fhir/*", "/fhir/*/x", "/fhir*", "*", "/fh*r/Patient"})
  void a_bad_path_pattern_fails(String pattern) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.protected-paths", pattern);
    onlyProblem(settings, "fhirguard.auth.protected-paths");
    Map<String, String> publicOnes = jwt();
    publicOnes.put("fhirguard.auth.public-paths", "/fhir/metadata, " + pattern);
    onlyProblem(publicOnes, "fhirguard.auth.public-paths");
  }

  @ParameterizedTest
  @ValueSource(strings = {"capabilities", "READ", "$everything", "metadata;read"})
  void a_public_operation_that_is_no_hapi_operation_code_fails(String operation) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.public-operations", "metadata, " + operation);
    String problem = onlyProblem(settings, "fhirguard.auth.public-operations");
    assertTrue(problem.contains("metadata, read"), problem);
  }

  @Test
  void hapi_operation_codes_are_accepted_as_public_operations() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.public-operations", "metadata, read, vread, search-type, $meta");
    assertDoesNotThrow(() -> FhirGuard.create(FhirGuardConfig.load(settings)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://auth.example.org/jwks", "auth.example.org/jwks"})
  void a_jwks_url_that_is_not_http_fails(String url) {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.jwks-url", url);
    List<String> problems = problems(settings);
    assertTrue(problems.get(0).startsWith("fhirguard.auth.jwks-url"), problems::toString);
  }

  @Test
  void a_key_file_that_does_not_exist_fails() {
    Map<String, String> settings = jwt();
    settings.remove("fhirguard.auth.jwks-url");
    settings.put("fhirguard.auth.public-key-file", dir.resolve("missing.pem").toString());
    assertTrue(problems(settings).get(0).startsWith("fhirguard.auth.public-key-file"));
  }

  @Test
  void the_introspection_verifier_without_its_url_fails() {
    onlyProblem(Map.of("fhirguard.auth.enabled", "true", "fhirguard.auth.verifier", "introspection"),
        "fhirguard.auth.introspection-url");
  }

  @Test
  void an_introspection_client_id_without_a_secret_fails() {
    onlyProblem(Map.of("fhirguard.auth.enabled", "true", "fhirguard.auth.verifier", "introspection",
        "fhirguard.auth.introspection-url", "https://auth.example.org/introspect",
        "fhirguard.auth.introspection-client-id", "fhir-server"),
        "fhirguard.auth.introspection-client-id");
  }

  @Test
  void an_unknown_verifier_fails() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.verifier", "saml");
    assertTrue(problems(settings).get(0).startsWith("fhirguard.auth.verifier"));
  }

  @Test
  void every_problem_is_reported_in_one_exception() {
    Map<String, String> settings = jwt();
    settings.remove("fhirguard.auth.issuer");
    settings.put("fhirguard.auth.clock-skew", "5 minutes");
    settings.put("fhirguard.client-address.trusted-proxies", "10.0.0.0/33");
    settings.put("fhirguard.auth.protected-paths", "fhir/*");
    List<String> problems = problems(settings);
    for (String key : List.of("fhirguard.auth.issuer", "fhirguard.auth.clock-skew",
        "fhirguard.client-address.trusted-proxies", "fhirguard.auth.protected-paths")) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(key)),
          () -> key + " missing from " + problems);
    }
    assertEquals(4, problems.size(), problems::toString);
  }

  @Test
  void secrets_are_masked_in_the_configuration_text() {
    Map<String, String> settings = jwt();
    settings.put("fhirguard.auth.algorithms", "RS256, HS256");
    settings.put("fhirguard.auth.hmac-secret", HMAC);
    settings.put("fhirguard.auth.introspection-client-id", "fhir-server");
    settings.put("fhirguard.auth.introspection-client-secret", INTROSPECTION_SECRET);
    FhirGuardConfig config = FhirGuardConfig.load(settings);
    String text = config.toString();
    assertFalse(text.contains(HMAC), text);
    assertFalse(text.contains(INTROSPECTION_SECRET), text);
    assertTrue(text.contains("fhirguard.auth.hmac-secret=****"), text);
    assertTrue(text.contains("fhirguard.auth.introspection-client-secret=****"), text);
    assertEquals("****", config.get("fhirguard.auth.hmac-secret"));
    assertEquals("****", config.get("fhirguard.auth.introspection-client-secret"));
    assertEquals(Tokens.ISSUER, config.get("fhirguard.auth.issuer"), "non-secrets are shown");
  }
}
