package dev.fhirguard.feature.auth;

import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.AuthAssertions.assertChallenge;
import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.Tokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bearer-token authentication over real HTTP: every way a token is refused is a 401
 * OperationOutcome with its own catalog code and the RFC 6750 challenge; a good token reaches
 * HAPI. Keys are real (RSA, P-256, P-384, an HMAC secret), served as a real JWKS over HTTP.
 */
class AuthenticationTest {

  private static final String PATIENT = "/fhir/Patient/1";

  private static TestClock clock;
  private static JwksServer jwks;
  private static TestServer server;
  private LogCapture logs;

  @BeforeAll
  static void start() {
    clock = TestClock.atNow();
    jwks = JwksServer.start(Tokens.sharedPublicSet());
    server = TestServer.start(guard(Map.of(
        "fhirguard.auth.algorithms", "RS256, RS384, ES256, ES384, PS256, HS256",
        "fhirguard.auth.hmac-secret", Tokens.HMAC_SECRET)));
  }

  @AfterAll
  static void stop() {
    server.close();
    jwks.close();
  }

  @BeforeEach
  void captureLogs() {
    logs = new LogCapture();
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  /** A guard on the shared JWKS and clock with these settings on top of the JWT basics. */
  private static FhirGuard guard(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE + ", " + Tokens.OTHER_AUDIENCE,
        "fhirguard.auth.jwks-url", jwks.url().toString()));
    settings.putAll(extra);
    return withClock(FhirGuard.builder().config(FhirGuardConfig.load(settings)), clock).build();
  }

  private static JWTClaimsSet.Builder claims() {
    return Tokens.claims(clock);
  }

  private static String valid() {
    return Tokens.rs256(claims().build());
  }

  private static HttpResponse<String> withToken(String token, String... more) {
    String[] headers = Stream.concat(Stream.of("Authorization", "Bearer " + token), Stream.of(more))
        .toArray(String[]::new);
    return server.get(PATIENT, headers);
  }

  /** The token appears in no response body and no log line written so far. */
  private void assertNotLeaked(String token, String body) {
    assertFalse(body.contains(token), () -> "the token is in the response: " + body);
    for (String line : logs.lines()) {
      assertFalse(line.contains(token), () -> "the token is in a log line: " + line);
    }
  }

  private static void assertPatient(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response::body);
    assertTrue(response.body().contains("Chalmers"), response::body);
    assertEquals(List.of(), response.headers().allValues("WWW-Authenticate"));
  }

  // ---- success and public paths

  @Test
  void a_valid_token_reaches_hapi_and_gets_the_patient() {
    String token = valid();
    assertPatient(withToken(token));
    assertNotLeaked(token, "");
  }

  @Test
  void the_scheme_name_is_case_insensitive() {
    assertPatient(server.get(PATIENT, "Authorization", "bEaReR " + valid()));
  }

  @Test
  void a_token_naming_the_second_configured_audience_among_others_is_accepted() {
    assertPatient(withToken(Tokens.rs256(
        claims().audience(List.of("https://unrelated.example.com", Tokens.OTHER_AUDIENCE)).build())));
  }

  @Test
  void the_capability_statement_needs_no_token() {
    HttpResponse<String> response = server.get("/fhir/metadata");
    assertEquals(200, response.statusCode(), response::body);
    assertTrue(response.body().contains("CapabilityStatement"), response::body);
  }

  @Test
  void a_public_path_ignores_even_a_broken_token() {
    HttpResponse<String> response = server.get("/fhir/metadata", "Authorization", "Bearer a.b.c");
    assertEquals(200, response.statusCode(), response::body);
  }

  @Test
  void the_smart_configuration_path_is_public_so_hapi_answers_it_without_a_challenge() {
    HttpResponse<String> response = server.get("/fhir/.well-known/smart-configuration");
    assertNotEquals(401, response.statusCode(), response::body);
    assertEquals(List.of(), response.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void a_non_fhir_path_under_the_default_protected_prefix_needs_a_token_too() {
    assertUnauthorized(server.get("/plain/ok"), "TOKEN_MISSING", "login", "no Authorization header");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/fhir/metadata/../Patient/1",
      "/fhir/metadata/%2e%2e/Patient/1",
      "/fhir/metadata;x=1/../Patient/1",
      "/fhir/metadata%2f..%2fPatient/1",
      "/fhir/metadata/..;/Patient/1",
      "/fhir/./Patient/1",
      "/fhir//Patient/1"})
  void a_path_that_only_looks_public_never_serves_the_patient_without_a_token(String path) {
    RawHttp.Response response = server.rawGet(path);
    assertFalse(response.status() == 200 && response.body().contains("Chalmers"),
        () -> path + " leaked the patient: " + response);
    assertTrue(response.status() == 401 || response.status() == 400 || response.status() == 404,
        () -> path + ": " + response);
  }

  @Test
  void a_path_outside_the_configured_protected_paths_needs_no_token() {
    try (TestServer narrow = TestServer.start(guard(Map.of(
        "fhirguard.auth.protected-paths", "/fhir/*")))) {
      HttpResponse<String> plain = narrow.get("/plain/ok");
      assertEquals(200, plain.statusCode(), plain::body);
      assertUnauthorized(narrow.get(PATIENT), "TOKEN_MISSING", "login", "no Authorization header");
    }
  }

  // ---- the header itself

  @Test
  void no_authorization_header_is_token_missing_with_a_bare_challenge() {
    assertUnauthorized(server.get(PATIENT), "TOKEN_MISSING", "login",
        "the request has no Authorization header");
  }

  @Test
  void token_missing_is_rendered_as_xml_when_the_client_asks_for_xml() {
    HttpResponse<String> response = server.get(PATIENT, "Accept", "application/fhir+xml");
    Outcomes.assertError(response, 401, "TOKEN_MISSING", true);
    assertUnauthorized(response, "TOKEN_MISSING", "login", "no Authorization header");
  }

  @Test
  void an_empty_authorization_header_is_token_empty_with_invalid_token() {
    RawHttp.Response response = server.rawGet(PATIENT, "Authorization: ");
    assertUnauthorized(response, "TOKEN_EMPTY", "login", "The Authorization header is empty");
  }

  @Test
  void bearer_without_a_token_is_token_empty() {
    assertUnauthorized(server.get(PATIENT, "Authorization", "Bearer"), "TOKEN_EMPTY", "login",
        "says Bearer but carries no token");
  }

  @Test
  void basic_credentials_are_an_unsupported_scheme_with_a_bare_challenge() {
    HttpResponse<String> response =
        server.get(PATIENT, "Authorization", "Basic bGFiLWFwcDpzM2NyZXQtcGFzc3dvcmQ=");
    assertUnauthorized(response, "AUTH_SCHEME_NOT_SUPPORTED", "login", "scheme other than Bearer");
    assertNotLeaked("bGFiLWFwcDpzM2NyZXQtcGFzc3dvcmQ", response.body());
  }

  @Test
  void two_authorization_headers_are_malformed() {
    RawHttp.Response response = server.rawGet(PATIENT,
        "Authorization: Bearer " + valid(), "Authorization: Bearer " + valid());
    assertUnauthorized(response, "TOKEN_MALFORMED", "security", "more than one Authorization header");
  }

  @Test
  void a_token_with_characters_outside_b64token_is_malformed() {
    assertUnauthorized(withToken("abc$def\"ghi"), "TOKEN_MALFORMED", "security",
        "characters a token cannot have");
  }

  @Test
  void a_token_longer_than_max_token_length_is_malformed_without_parsing() {
    String huge = "A".repeat(64 * 1024);
    HttpResponse<String> response = withToken(huge);
    assertUnauthorized(response, "TOKEN_MALFORMED", "security", "longer than 8192 characters");
    assertNotLeaked(huge.substring(0, 200), response.body());
  }

  @Test
  void a_64_kb_signed_jwt_is_refused_for_its_length_not_accepted_and_not_a_server_error() {
    String huge = Tokens.rs256(claims().claim("padding", "x".repeat(48 * 1024)).build());
    assertTrue(huge.length() > 60_000);
    HttpResponse<String> response = withToken(huge);
    assertUnauthorized(response, "TOKEN_MALFORMED", "security", "longer than 8192 characters");
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().length() < 400);
  }

  @Test
  void a_token_that_is_not_three_parts_is_malformed() {
    assertUnauthorized(withToken("abc.def"), "TOKEN_MALFORMED", "security",
        "three dot-separated parts");
  }

  @Test
  void three_parts_that_do_not_decode_are_malformed() {
    assertUnauthorized(withToken("a.b.c"), "TOKEN_MALFORMED", "security", "base64url");
    assertUnauthorized(withToken("YQ.Yg.Yw"), "TOKEN_MALFORMED", "security",
        "could not be decoded");
  }

  @Test
  void an_encrypted_jwt_is_refused_as_malformed_and_told_so() throws JOSEException {
    EncryptedJWT jwe = new EncryptedJWT(
        new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM), claims().build());
    jwe.encrypt(new RSAEncrypter(Tokens.rsaKey().toRSAPublicKey()));
    assertUnauthorized(withToken(jwe.serialize()), "TOKEN_MALFORMED", "security", "encrypted");
  }

  // ---- one spelling per token: canonical base64url only

  /**
   * Other spellings of a valid token's signature that decode to the same bytes (RFC 4648 §3.2,
   * §3.5, §4). The header and claims need no such test here: the signature covers their text as
   * spelled, so any other spelling of them fails it.
   */
  static Stream<Arguments> otherSpellings() {
    return Stream.of(
        Arguments.of("the signature padded with =", (UnaryOperator<String>) t -> t + "=="),
        Arguments.of("the signature in standard base64", (UnaryOperator<String>) t -> {
          int dot = t.lastIndexOf('.');
          return t.substring(0, dot) + t.substring(dot).replace('-', '+').replace('_', '/');
        }),
        Arguments.of("unused bits of the signature's last character set",
            (UnaryOperator<String>) t -> {
              // 256 bytes of RS256 signature are 342 characters: the last one carries 4 bits
              // that encode nothing.
              char last = t.charAt(t.length() - 1);
              String alphabet =
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
              return t.substring(0, t.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherSpellings")
  void a_token_spelled_other_than_in_canonical_base64url_is_malformed(
      String what, UnaryOperator<String> respell) {
    String token = valid();
    while (!token.contains("-") && !token.contains("_")) {
      token = valid(); // the standard-base64 spelling needs a '-' or '_' to differ
    }
    String other = respell.apply(token);
    assertNotEquals(token, other);
    assertUnauthorized(withToken(other), "TOKEN_MALFORMED", "security", "base64url");
    assertPatient(withToken(token));
    assertUnauthorized(withToken(other), "TOKEN_MALFORMED", "security", "base64url");
  }

  // ---- JSON of another type where the JOSE header or the claims set belongs

  @Test
  void a_null_jose_header_is_a_401_token_malformed_logged_without_an_error_or_a_stack_trace() {
    HttpResponse<String> response = withToken("bnVsbA.e30.AAAA");
    assertUnauthorized(response, "TOKEN_MALFORMED", "security", "header");
    logs.assertQuiet();
  }

  /** JSON texts that are not an object: every other type, and arrays Nimbus would read as one. */
  static Stream<String> jsonOtherThanAnObject() {
    return Stream.of("null", "0", "-1.5e300", "\"RS256\"", "true", "false", "[]", "[null]",
        "[[\"alg\",\"RS256\"],[\"kid\",\"rsa-1\"]]", "[[\"exp\",4102444800]]",
        "[{\"alg\":\"RS256\"}]", "", " ", "{", "nul");
  }

  @ParameterizedTest
  @MethodSource("jsonOtherThanAnObject")
  void a_jose_header_that_is_not_a_json_object_is_a_401_token_malformed(String json) {
    String token = Tokens.signRaw(Tokens.rsaKey(), json, claims().build().toString());
    assertUnauthorized(withToken(token), "TOKEN_MALFORMED", "security", "header");
    logs.assertQuiet();
  }

  @ParameterizedTest
  @MethodSource("jsonOtherThanAnObject")
  void a_signed_claims_set_that_is_not_a_json_object_is_a_401_token_malformed(String json) {
    String token = Tokens.signRaw(Tokens.rsaKey(), Tokens.RS256_HEADER, json);
    assertUnauthorized(withToken(token), "TOKEN_MALFORMED", "security", "claims");
    logs.assertQuiet();
  }

  // ---- signature, key and algorithm

  @Test
  void a_token_signed_by_another_key_with_the_same_kid_has_an_invalid_signature() {
    RSAKey impostor = Tokens.rsa(Tokens.rsaKey().getKeyID());
    assertUnauthorized(withToken(Tokens.sign(impostor, JWSAlgorithm.RS256, claims().build())),
        "TOKEN_SIGNATURE_INVALID", "security", "signature does not verify");
  }

  @Test
  void a_token_whose_claims_were_altered_after_signing_has_an_invalid_signature() {
    String honest = Tokens.rs256(claims().build());
    String forged = Tokens.rs256(claims().claim("scope", "system/*.*").build());
    String tampered = forged.substring(0, forged.lastIndexOf('.'))
        + honest.substring(honest.lastIndexOf('.'));
    assertUnauthorized(withToken(tampered), "TOKEN_SIGNATURE_INVALID", "security",
        "altered or signed by someone else");
  }

  @Test
  void a_token_carrying_its_own_jwk_in_the_header_is_not_trusted_for_it() {
    RSAKey attacker = Tokens.rsa("attacker");
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .jwk(attacker.toPublicJWK()).build();
    assertUnauthorized(withToken(Tokens.sign(attacker, header, claims().build())),
        "TOKEN_SIGNATURE_INVALID", "security", "signature");
  }

  @Test
  void hs256_signed_with_the_rsa_public_key_as_secret_is_refused() throws Exception {
    SignedJWT confused = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(Tokens.rsaKey().getKeyID()).build(),
        claims().build());
    confused.sign(new MACSigner(Tokens.rsaKey().toRSAPublicKey().getEncoded()));
    assertUnauthorized(withToken(confused.serialize()), "TOKEN_SIGNATURE_INVALID", "security",
        "signature");
  }

  @Test
  void a_kid_missing_from_the_jwks_is_key_unknown() {
    RSAKey stranger = Tokens.rsa("kid-nobody-published");
    assertUnauthorized(withToken(Tokens.sign(stranger, JWSAlgorithm.RS256, claims().build())),
        "TOKEN_KEY_UNKNOWN", "security", "kid not in the issuer's key set");
  }

  @Test
  void an_unsigned_alg_none_token_is_an_algorithm_not_allowed() {
    assertUnauthorized(withToken(Tokens.unsigned(claims().build())),
        "TOKEN_ALGORITHM_NOT_ALLOWED", "security", "not signed (alg none)");
  }

  @Test
  void rs512_is_refused_when_not_in_the_configured_algorithms_and_the_accepted_ones_are_named() {
    assertUnauthorized(withToken(Tokens.sign(Tokens.rsaKey(), JWSAlgorithm.RS512, claims().build())),
        "TOKEN_ALGORITHM_NOT_ALLOWED", "security",
        "accepted: ES256, ES384, HS256, PS256, RS256, RS384");
  }

  static Stream<Arguments> acceptedAlgorithms() {
    return Stream.of(
        Arguments.of(JWSAlgorithm.RS256, Tokens.rsaKey()),
        Arguments.of(JWSAlgorithm.RS384, Tokens.rsaKey()),
        Arguments.of(JWSAlgorithm.PS256, Tokens.rsaKey()),
        Arguments.of(JWSAlgorithm.ES256, Tokens.ec256Key()),
        Arguments.of(JWSAlgorithm.ES384, Tokens.ec384Key()));
  }

  @ParameterizedTest
  @MethodSource("acceptedAlgorithms")
  void every_default_asymmetric_algorithm_is_accepted(JWSAlgorithm alg, JWK key) {
    assertPatient(withToken(Tokens.sign(key, alg, claims().build())));
  }

  @Test
  void hs256_is_accepted_with_the_configured_secret() {
    assertPatient(withToken(Tokens.hmac(Tokens.HMAC_SECRET, JWSAlgorithm.HS256, claims().build())));
  }

  @Test
  void hs256_with_another_secret_has_an_invalid_signature() {
    assertUnauthorized(
        withToken(Tokens.hmac("another-secret-of-enough-length-0123456789", JWSAlgorithm.HS256,
            claims().build())),
        "TOKEN_SIGNATURE_INVALID", "security", "signature does not verify");
  }

  @Test
  void hs512_is_accepted_with_a_secret_as_long_as_its_hash() {
    String secret = "s".repeat(32) + "t".repeat(32);
    try (TestServer hs512 = TestServer.start(guard(Map.of(
        "fhirguard.auth.algorithms", "RS256, HS512", "fhirguard.auth.hmac-secret", secret)))) {
      String token = Tokens.hmac(secret, JWSAlgorithm.HS512, claims().build());
      assertPatient(hs512.get(PATIENT, "Authorization", "Bearer " + token));
      String hs256 = Tokens.hmac(secret, JWSAlgorithm.HS256, claims().build());
      assertUnauthorized(hs512.get(PATIENT, "Authorization", "Bearer " + hs256),
          "TOKEN_ALGORITHM_NOT_ALLOWED", "security", "accepted: HS512, RS256");
    }
  }

  @Test
  void hs256_is_refused_by_a_server_without_hmac_configured() {
    try (TestServer strict = TestServer.start(guard(Map.of()))) {
      String hs = Tokens.hmac(Tokens.HMAC_SECRET, JWSAlgorithm.HS256, claims().build());
      HttpResponse<String> response = strict.get(PATIENT, "Authorization", "Bearer " + hs);
      assertUnauthorized(response, "TOKEN_ALGORITHM_NOT_ALLOWED", "security",
          "accepted: ES256, ES384, PS256, RS256, RS384");
      HttpResponse<String> rsa = strict.get(PATIENT, "Authorization", "Bearer " + valid());
      assertPatient(rsa);
    }
  }

  // ---- claims

  @Test
  void an_expired_token_is_token_expired_with_issue_code_expired_in_xml_too() {
    Instant now = clock.instant();
    String token = Tokens.rs256(claims()
        .issueTime(Date.from(now.minus(Duration.ofHours(2))))
        .notBeforeTime(Date.from(now.minus(Duration.ofHours(2))))
        .expirationTime(Date.from(now.minus(Duration.ofMinutes(10)))).build());
    assertUnauthorized(withToken(token), "TOKEN_EXPIRED", "expired", "The bearer token expired");
    HttpResponse<String> xml = server.get(PATIENT + "?_format=xml", "Authorization", "Bearer " + token);
    Outcomes.assertError(xml, 401, "TOKEN_EXPIRED", true);
    assertUnauthorized(xml, "TOKEN_EXPIRED", "expired", "10 minutes ago");
  }

  @Test
  void a_token_that_expired_within_the_clock_skew_is_still_accepted() {
    Instant now = clock.instant();
    assertPatient(withToken(Tokens.rs256(claims()
        .expirationTime(Date.from(now.minus(Duration.ofSeconds(30)))).build())));
  }

  @Test
  void a_cached_token_is_refused_as_expired_once_the_clock_passes_its_exp() {
    String token = Tokens.rs256(claims()
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5)))).build());
    assertPatient(withToken(token));
    assertPatient(withToken(token)); // now served from the verified-token cache
    clock.advance(Duration.ofMinutes(5).plus(Duration.ofMinutes(1)).plusSeconds(1));
    assertUnauthorized(withToken(token), "TOKEN_EXPIRED", "expired", "expired");
    assertUnauthorized(withToken(token), "TOKEN_EXPIRED", "expired", "expired");
  }

  @Test
  void a_token_not_valid_before_a_time_beyond_the_skew_is_not_yet_valid() {
    Instant later = clock.instant().plus(Duration.ofMinutes(5));
    assertUnauthorized(withToken(Tokens.rs256(claims().notBeforeTime(Date.from(later)).build())),
        "TOKEN_NOT_YET_VALID", "security", "(nbf)");
  }

  @Test
  void a_token_issued_in_the_future_beyond_the_skew_is_not_yet_valid() {
    Instant later = clock.instant().plus(Duration.ofMinutes(5));
    assertUnauthorized(withToken(Tokens.rs256(claims().issueTime(Date.from(later)).build())),
        "TOKEN_NOT_YET_VALID", "security", "issued in the future (iat)");
  }

  @Test
  void a_token_issued_a_few_seconds_ahead_within_the_skew_is_accepted() {
    Instant soon = clock.instant().plus(Duration.ofSeconds(30));
    assertPatient(withToken(Tokens.rs256(
        claims().issueTime(Date.from(soon)).notBeforeTime(Date.from(soon)).build())));
  }

  @Test
  void a_token_from_another_issuer_is_issuer_invalid() {
    assertUnauthorized(withToken(Tokens.rs256(claims().issuer("https://evil.example.com").build())),
        "TOKEN_ISSUER_INVALID", "security", "iss must be " + Tokens.ISSUER);
  }

  @Test
  void a_token_for_another_audience_is_audience_invalid() {
    OperationOutcome outcome = assertUnauthorized(
        withToken(Tokens.rs256(claims().audience("https://billing.example.com/api").build())),
        "TOKEN_AUDIENCE_INVALID", "security", "");
    assertTrue(Outcomes.diagnostics(outcome).startsWith("Token issued for a different API endpoint"),
        () -> Outcomes.diagnostics(outcome));
  }

  @Test
  void a_token_without_an_audience_is_audience_invalid() {
    assertUnauthorized(withToken(Tokens.rs256(claims().audience((String) null).build())),
        "TOKEN_AUDIENCE_INVALID", "security", "Token issued for a different API endpoint");
  }

  @Test
  void a_token_without_exp_lacks_a_required_claim() {
    assertUnauthorized(withToken(Tokens.rs256(claims().expirationTime(null).build())),
        "TOKEN_CLAIMS_INVALID", "security", "no exp (expiry) claim");
  }

  @Test
  void a_token_naming_no_client_lacks_a_required_claim() {
    assertUnauthorized(
        withToken(Tokens.rs256(claims().claim("client_id", null).subject(null).build())),
        "TOKEN_CLAIMS_INVALID", "security", "names no client");
  }

  // ---- garbage never becomes a 500, and the token never leaks

  @ParameterizedTest
  @ValueSource(strings = {
      "Bearer",
      "Bearer      ",
      "Bearer a b",
      "Bearer !#$%&'()*,;<>?@[]^`{|}",
      "Bearer =====",
      "Bearer ..",
      "Bearer .....",
      "Bearer e30.e30.e30",
      "Bearer eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
      "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLy4uL2V0Yy9wYXNzd2QifQ.e30.c2ln",
      "Bearer eyJhbGciOiJub25lIn0.e30.",
      "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
      "Bearer eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
      "Bearer eyJ9.eyJ9.eyJ9",
      "Bearer /+/+/+/+.~~~~.____",
      "Basic xyz",
      "Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag",
      "Digest username=\"lab\", realm=\"fhir\"",
      "BearerJUNKJUNKJUNK",
      "   Bearer    leading-spaces-junk",
      "Bearer\tTABBED-JUNK-token"})
  void garbage_in_the_authorization_header_is_a_401_outcome_never_a_server_error(String header) {
    HttpResponse<String> response = server.get(PATIENT, "Authorization", header);
    assertEquals(401, response.statusCode(), () -> header + " -> " + response.body());
    OperationOutcome outcome = Outcomes.assertError(response, 401, null);
    String code = Outcomes.catalogCoding(outcome.getIssueFirstRep()).getCode();
    assertTrue(code.startsWith("TOKEN_") || code.equals("AUTH_SCHEME_NOT_SUPPORTED"), code);
    assertChallenge(
        response.headers().allValues("WWW-Authenticate"), code);
    String token = header.strip().contains(" ") ? header.strip().substring(header.strip().indexOf(' ')).strip() : "";
    if (token.length() >= 8) {
      assertNotLeaked(token, response.body());
    }
  }

  @Test
  void a_non_ascii_token_is_malformed_and_not_echoed() {
    String token = "t\u00f6k\u00e9n-\u4e2d\u6587-\ud83d\ude00-secret";
    byte[] request = RawHttp.get(PATIENT, "Authorization: Bearer " + token)
        .getBytes(StandardCharsets.UTF_8);
    RawHttp.Response response = server.raw(request);
    assertUnauthorized(response, "TOKEN_MALFORMED", "security", "characters a token cannot have");
    assertFalse(response.body().contains("secret"), response::body);
    for (String line : logs.lines()) {
      assertFalse(line.contains("-secret"), line);
    }
  }

  @Test
  void a_control_character_in_the_header_is_refused_by_the_container_or_fhirguard_not_a_500() {
    RawHttp.Response response =
        server.raw(RawHttp.get(PATIENT, "Authorization: Bearer abc\u0001def\u007fghi"));
    assertTrue(response.status() == 400 || response.status() == 401, response::toString);
    Outcomes.fhir().newJsonParser().parseResource(OperationOutcome.class, response.body());
  }

  @Test
  void a_valid_token_never_appears_in_a_log_line_even_when_the_request_fails_later() {
    String token = valid();
    HttpResponse<String> response = server.get("/fhir/Patient/sql", "Authorization", "Bearer " + token);
    assertEquals(500, response.statusCode(), response::body);
    HttpResponse<String> refused = server.get(PATIENT, "Authorization", "Bearer " + token + "x");
    assertEquals(401, refused.statusCode());
    assertFalse(logs.lines().isEmpty(), "the failure was logged");
    assertNotLeaked(token, response.body() + refused.body());
    assertNotLeaked(token.substring(token.lastIndexOf('.') + 1), refused.body());
  }

  @Test
  void a_head_request_without_a_token_gets_the_401_status_and_challenge_without_a_body() {
    RawHttp.Response response = server.raw("HEAD " + PATIENT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\n\r\n");
    assertEquals(401, response.status(), response::toString);
    assertEquals("Bearer realm=\"fhir\"", response.header("WWW-Authenticate"));
    assertEquals(0, response.bodyBytes().length);
  }
}
