package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static dev.fhirguard.testing.FuzzInvariants.NO_5XX;
import static dev.fhirguard.testing.FuzzInvariants.assertSafe;
import static dev.fhirguard.testing.FuzzInvariants.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fhirguard.testing.FuzzHeaders;
import dev.fhirguard.testing.FuzzInvariants;
import dev.fhirguard.testing.FuzzJson;
import dev.fhirguard.testing.FuzzStrings;
import dev.fhirguard.testing.LogGuard;
import dev.fhirguard.testing.RawHttp;
import dev.fhirguard.testing.ScopedServer;
import dev.fhirguard.testing.Tokens;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the {@code Authorization} header over real HTTP against fhirguard's own RS256 verifier
 * (a PEM key file) in front of HAPI: real signed JWTs with altered claims and headers, signed JWTs
 * with JSON of every type as their header, claims set, a header member or a claim, valid
 * tokens with one character changed, odd schemes and separators, raw junk and bytes, and lengths
 * around {@code fhirguard.auth.max-token-length} (1024 here) and Jetty's 8 KiB header limit.
 * Besides the invariants of {@link FuzzInvariants}: no token is ever echoed or logged, nothing is
 * logged at ERROR or with a stack trace, a 401 always carries a Bearer challenge, and an
 * unaltered token always reads.
 */
@Tag("fuzz")
class AuthorizationFuzzTest {

  private static final int MAX_TOKEN_LENGTH = 1024;
  private static final List<String> PATHS =
      List.of("/fhir/Patient/1", "/fhir/Patient/2", "/fhir/Patient?name=x", "/plain/x");

  /** What a generated JWT has wrong (nothing, for the control case). */
  enum Alteration {
    ISSUER, AUDIENCE, SUBJECT, CLIENT_ID, SCOPE, EXPIRED, NOT_YET_VALID, NO_EXPIRY, KEY_ID,
    TYPE, CRITICAL, HUGE_CLAIM, NUMERIC_CLIENT_ID, AUDIENCE_LIST
  }

  private static ScopedServer server;
  private static LogGuard logs;

  @BeforeContainer
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("auth-fuzz");
    dir.toFile().deleteOnExit();
    Path pem = Files.writeString(dir.resolve("key.pem"), Tokens.pem(publicKey()));
    pem.toFile().deleteOnExit();
    server = ScopedServer.withConfiguredVerifier(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.public-key-file", pem.toString(),
        "fhirguard.auth.max-token-length", String.valueOf(MAX_TOKEN_LENGTH)));
    logs = LogGuard.attach().quiet();
  }

  @AfterContainer
  static void stop() {
    logs.close();
    server.close();
  }

  @Property
  void any_authorization_header_gets_a_safe_answer(@ForAll("authorizations") String header,
      @ForAll boolean twice, @ForAll("paths") String path, @ForAll("charsets") Charset charset) {
    List<String[]> headers = new FuzzHeaders().add("Authorization", header)
        .addIf(twice, "Authorization", header).list();
    String token = tokenPart(header);
    logs.secret(token);
    logs.secret(signature(token));
    RawHttp.Response response =
        server.raw(FuzzInvariants.request("GET", path, headers, charset));
    assertSafe(response, NO_5XX, token, signature(token));
    logs.assertClean();
    if (response.status() == 401) {
      assertTrue(response.header("WWW-Authenticate").startsWith("Bearer realm=\""),
          () -> "a Bearer challenge in " + describe(response));
    }
  }

  @Property
  void signed_tokens_with_altered_claims_are_refused_or_read_never_broken(
      @ForAll("alterations") Set<Alteration> alterations, @ForAll("texts") String junk,
      @ForAll("paths") String path) {
    String token = sign(alterations, junk);
    logs.secret(token);
    logs.secret(signature(token));
    RawHttp.Response response = server.raw(FuzzInvariants.request("GET", path,
        List.<String[]>of(new String[] {"Authorization", "Bearer " + token}),
        StandardCharsets.UTF_8));
    assertSafe(response, NO_5XX, token, signature(token));
    logs.assertClean();
    if (alterations.isEmpty() && path.equals("/fhir/Patient/1")) {
      assertEquals(200, response.status(), () -> "a valid token reads: " + describe(response));
    }
    if (alterations.contains(Alteration.EXPIRED) || alterations.contains(Alteration.ISSUER)) {
      assertTrue(response.status() == 401 || response.status() == 400
          || response.status() == 431, () -> "refused: " + describe(response));
    }
  }

  @Property
  void scope_claims_in_signed_tokens_are_enforced_or_ignored_never_broken(
      @ForAll("scopeClaims") String claim, @ForAll("scopePaths") String path,
      @ForAll boolean delete) {
    String token = Tokens.sign(Tokens.rsaKey(), JWSAlgorithm.RS256,
        Tokens.claims(Clock.systemUTC()).claim("scope", claim).build());
    logs.secret(token);
    RawHttp.Response response = server.raw(FuzzInvariants.request(delete ? "DELETE" : "GET",
        path, List.<String[]>of(new String[] {"Authorization", "Bearer " + token}),
        StandardCharsets.UTF_8));
    assertSafe(response, NO_5XX, token, signature(token));
    logs.assertClean();
    List<String> granted = List.of(claim.split(" "));
    if (!delete && path.equals("/fhir/Patient/1") && token.length() <= MAX_TOKEN_LENGTH
        && (granted.contains("system/Patient.rs")
        || granted.contains("system/Patient.r") || granted.contains("system/*.cruds")
        || granted.contains("system/Patient.read"))) {
      assertEquals(200, response.status(), () -> "the scope grants the read: " + describe(response));
    }
    if (response.status() == 403) {
      assertTrue(response.header("WWW-Authenticate").contains("error=\"insufficient_scope\""),
          () -> "an insufficient_scope challenge in " + describe(response));
    }
  }

  /** Where the JSON property puts a generated JSON value. */
  enum JsonPlace { HEADER, CLAIMS, HEADER_MEMBER, CLAIM }

  /**
   * A JSON value of any type as the whole header, the whole claims set, one header member or one
   * claim of a token otherwise valid and signed with the trusted key (so the verifier gets past
   * the signature to the claims): a header or claims set that is not an object is a 401
   * TOKEN_MALFORMED, and nothing is ever a 5xx, an ERROR or a stack trace in the log.
   */
  @Property
  void json_of_any_type_in_a_signed_token_is_refused_or_read_never_an_error(
      @ForAll("jsonValues") String json, @ForAll JsonPlace place,
      @ForAll("jsonNames") String name) {
    Map<String, String> header = new LinkedHashMap<>(Map.of("alg", "\"RS256\"",
        "kid", FuzzJson.string(Tokens.rsaKey().getKeyID())));
    Map<String, String> claims = new LinkedHashMap<>();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", FuzzJson.string(Tokens.ISSUER));
    claims.put("aud", FuzzJson.string(Tokens.AUDIENCE));
    claims.put("client_id", FuzzJson.string(Tokens.CLIENT_ID));
    claims.put("scope", FuzzJson.string("system/Patient.rs"));
    claims.put("exp", String.valueOf(now + 3600));
    (place == JsonPlace.HEADER_MEMBER ? header : claims).put(name, json);
    String token = Tokens.signRaw(Tokens.rsaKey(),
        place == JsonPlace.HEADER ? json : object(header),
        place == JsonPlace.CLAIMS ? json : object(claims));
    logs.secret(token);
    logs.secret(signature(token));
    RawHttp.Response response = server.raw(FuzzInvariants.request("GET", "/fhir/Patient/1",
        List.<String[]>of(new String[] {"Authorization", "Bearer " + token}),
        StandardCharsets.UTF_8));
    assertSafe(response, NO_5XX, token, signature(token));
    logs.assertClean();
    boolean whole = place == JsonPlace.HEADER || place == JsonPlace.CLAIMS;
    if (whole && !json.startsWith("{")) {
      assertUnauthorized(response, "TOKEN_MALFORMED", "security", "");
    }
  }

  private static String object(Map<String, String> members) {
    return members.entrySet().stream()
        .map(member -> FuzzJson.string(member.getKey()) + ":" + member.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }

  /** Found by the scope fuzzing: the parser's message about a repeated name was logged raw. */
  @Example
  void a_malformed_scope_with_line_breaks_in_its_query_logs_one_clean_line() {
    String token = Tokens.sign(Tokens.rsaKey(), JWSAlgorithm.RS256, Tokens.claims(
        Clock.systemUTC()).claim("scope",
            "system/Patient.rs system/Observation.s?%0d%0aforged=1&%0d%0aforged=2").build());
    try (LogGuard guard = LogGuard.attach()) {
      RawHttp.Response response =
          server.rawGet("/fhir/Patient/1", "Authorization: Bearer " + token);
      assertEquals(200, response.status(), () -> describe(response));
      guard.assertClean();
    } finally {
      logs.clear();
    }
  }

  @Example
  void a_valid_token_reads_the_patient() {
    String token = sign(Set.of(), "");
    RawHttp.Response response = server.rawGet("/fhir/Patient/1", "Authorization: Bearer " + token);
    assertEquals(200, response.status(), () -> describe(response));
  }

  private static java.security.PublicKey publicKey() {
    try {
      return Tokens.rsaKey().toPublicKey();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What follows the scheme, as fhirguard would take it; the whole value when there is none. */
  private static String tokenPart(String header) {
    String value = header.strip();
    int space = value.indexOf(' ');
    return space < 0 ? value : value.substring(space + 1).strip();
  }

  private static String signature(String token) {
    int dot = token.lastIndexOf('.');
    return dot < 0 ? null : token.substring(dot + 1);
  }

  static String sign(Set<Alteration> alterations, String junk) {
    JWTClaimsSet.Builder claims = Tokens.claims(Clock.systemUTC());
    Instant now = Instant.now();
    for (Alteration alteration : alterations) {
      switch (alteration) {
        case ISSUER -> claims.issuer(Tokens.ISSUER + junk + "x");
        case AUDIENCE -> claims.audience(junk);
        case AUDIENCE_LIST -> claims.audience(List.of(junk, Tokens.OTHER_AUDIENCE));
        case SUBJECT -> claims.subject(junk);
        case CLIENT_ID -> claims.claim("client_id", junk);
        case NUMERIC_CLIENT_ID -> claims.claim("client_id", Map.of("id", junk.length()));
        case SCOPE -> claims.claim("scope", junk);
        case EXPIRED -> claims.expirationTime(Date.from(now.minusSeconds(3600)));
        case NOT_YET_VALID -> claims.notBeforeTime(Date.from(now.plusSeconds(3600)));
        case NO_EXPIRY -> claims.expirationTime(null);
        case HUGE_CLAIM -> claims.claim("extra", junk.repeat(1 + 4000 / (1 + junk.length())));
        default -> { }
      }
    }
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(Tokens.rsaKey().getKeyID());
    if (alterations.contains(Alteration.KEY_ID)) {
      header.keyID(junk.isEmpty() ? null : junk);
    }
    if (alterations.contains(Alteration.TYPE)) {
      header.type(new JOSEObjectType(junk));
    }
    if (alterations.contains(Alteration.CRITICAL)) {
      header.criticalParams(Set.of("fuzz")).customParam("fuzz", junk);
    }
    return Tokens.sign(Tokens.rsaKey(), header.build(), claims.build());
  }

  @Provide
  Arbitrary<String> authorizations() {
    Arbitrary<String> scheme = Arbitraries.oneOf(
        Arbitraries.of("Bearer", "bearer", "BEARER", "Basic", "Digest", "Token", "DPoP", "Beare",
            "Bearer:", "Bearer=", ""),
        FuzzStrings.nearly("Bearer"));
    Arbitrary<String> separator = Arbitraries.of(" ", " ", "  ", "\t", "", ",", "\u00a0", " \t ");
    Arbitrary<String> validToken = Arbitraries.just("").map(x -> sign(Set.of(), ""));
    Arbitrary<String> token = Arbitraries.oneOf(
        validToken,
        validToken.flatMap(FuzzStrings::nearly),
        validToken.map(t -> t.replace('.', ' ')),
        FuzzStrings.junk(),
        FuzzStrings.aroundLength(MAX_TOKEN_LENGTH, 'A'),
        FuzzStrings.aroundLength(8192 - 40, 'B'),
        Arbitraries.strings().withChars("ABCabc012-._~+/=").ofMinLength(1).ofMaxLength(40));
    return Arbitraries.oneOf(
        Combinators.combine(scheme, separator, token).as((s, sep, t) -> s + sep + t),
        FuzzStrings.junk());
  }

  @Provide
  Arbitrary<String> jsonValues() {
    return FuzzJson.value();
  }

  @Provide
  Arbitrary<String> jsonNames() {
    return Arbitraries.of(FuzzJson.NAMES);
  }

  @Provide
  Arbitrary<String> scopeClaims() {
    return dev.fhirguard.testing.FuzzScopes.claim();
  }

  @Provide
  Arbitrary<String> scopePaths() {
    return Arbitraries.of("/fhir/Patient/1", "/fhir/Patient?name=x", "/fhir/Patient/1/Observation",
        "/fhir/Observation?category=laboratory", "/fhir/Observation/1", "/fhir/$export",
        "/plain/x");
  }

  @Provide
  Arbitrary<Set<Alteration>> alterations() {
    return Arbitraries.of(Alteration.class).set().ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.just(""), FuzzStrings.junk(),
        FuzzStrings.nearly(Tokens.CLIENT_ID), FuzzStrings.nearly(Tokens.SCOPE));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(PATHS);
  }

  @Provide
  Arbitrary<Charset> charsets() {
    return Arbitraries.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1);
  }

  static {
    // Keys are generated once per JVM; touching them here keeps that out of the first try.
    Tokens.rsaKey();
  }
}
