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
import dev.fhirguard.testing.ScopedFhirServer;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.Tokens;
import java.io.IOException;
import java.net.URLEncoder;
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
import org.hl7.fhir.r4.model.Parameters;

/**
 * Fuzzes the {@code Authorization} header over real HTTP against fhirguard's own RS256 verifier
 * (a PEM key file) in front of HAPI: real signed JWTs with altered claims and headers, signed JWTs
 * with JSON of every type as their header, claims set, a header member or a claim, valid
 * tokens with one character changed, odd schemes and separators, raw junk and bytes, and lengths
 * around {@code fhirguard.auth.max-token-length} (1024 here) and Jetty's 8 KiB header limit.
 * Besides the invariants of {@link FuzzInvariants}: no token is ever echoed or logged, nothing is
 * logged at ERROR or with a stack trace, a 401 always carries a Bearer challenge, and an
 * unaltered token always reads. Bulk export kick-offs (GET and POST, JSON, XML and junk {@code
 * Parameters} bodies, {@code _type} and {@code _typeFilter} values) run only when the token grants
 * every type the export was handed.
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

  private static TestServer server;
  private static LogGuard logs;

  @BeforeContainer
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("auth-fuzz");
    dir.toFile().deleteOnExit();
    Path pem = Files.writeString(dir.resolve("key.pem"), Tokens.pem(publicKey()));
    pem.toFile().deleteOnExit();
    server = ScopedFhirServer.app().settings(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.public-key-file", pem.toString(),
        "fhirguard.auth.max-token-length", String.valueOf(MAX_TOKEN_LENGTH))).start();
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

  @Property
  void an_export_that_runs_had_every_type_it_was_given_granted(
      @ForAll("exportLevels") String level, @ForAll boolean post,
      @ForAll("exportQueries") String query, @ForAll("exportBodies") ExportBody body,
      @ForAll("exportScopes") Set<String> granted) {
    // The check must cover whatever the application is handed: the query for a GET, the body
    // HAPI binds for a POST (JSON or XML Parameters, several _type, comma lists, _typeFilter).
    String token = Tokens.sign(Tokens.rsaKey(), JWSAlgorithm.RS256,
        Tokens.claims(Clock.systemUTC()).claim("scope", String.join(" ", granted)).build());
    String target = level + query;
    List<String[]> headers = new java.util.ArrayList<>(List.<String[]>of(
        new String[] {"Authorization", "Bearer " + token},
        new String[] {"Accept", "application/fhir+json"}));
    byte[] payload = post ? body.text().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (post) {
      headers.add(new String[] {"Content-Type", body.contentType()});
      headers.add(new String[] {"Content-Length", String.valueOf(payload.length)});
    }
    byte[] head = FuzzInvariants.request(post ? "POST" : "GET", target, headers,
        StandardCharsets.UTF_8);
    byte[] request = java.util.Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, request, head.length, payload.length);
    RawHttp.Response response = server.raw(request);
    assertSafe(response, NO_5XX, token, signature(token));
    logs.assertClean();
    if (response.status() == 200) {
      Parameters seen = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
          .parseResource(Parameters.class, response.body());
      for (String type : exportedTypes(level, seen)) {
        assertTrue(grants(granted, type, "r") && (type.equals("Group!") || grants(granted,
            type, "s")), () -> "the export of " + type + " ran with " + granted + ": "
            + describe(response));
      }
    } else if (response.status() == 403) {
      assertTrue(response.header("WWW-Authenticate").contains("error=\"insufficient_scope\""),
          () -> "an insufficient_scope challenge in " + describe(response));
    }
  }

  /**
   * The types an export provider of {@code ScopedFhirServer} was handed ({@code *} for every
   * type; {@code Group!} for the Group whose members it exports, which needs read only).
   */
  private static Set<String> exportedTypes(String level, Parameters seen) {
    Set<String> types = new java.util.HashSet<>();
    if (level.contains("/Group/")) {
      types.add("Group!");
    }
    Parameters.ParametersParameterComponent given = seen.getParameter("types");
    // an empty value (all that was given) leaves the provider without a type: every type
    for (String type : given.hasValue() ? given.getValue().primitiveValue().split(",")
        : new String[] {"*"}) {
      String trimmed = type.strip();
      if (!trimmed.isEmpty()) { // an empty value names no type
        types.add(isType(trimmed) ? trimmed : "*");
      }
    }
    for (Parameters.ParametersParameterComponent filter : seen.getParameter()) {
      if (filter.getName().equals("typeFilter")) {
        String value = filter.hasValue() ? filter.getValue().primitiveValue() : null;
        for (String query : value == null ? new String[] {"?"} : value.split(",")) {
          int question = query.indexOf('?');
          String type = (question < 0 ? query : query.substring(0, question)).strip();
          if (isType(type) || question >= 0) {
            types.add(isType(type) ? type : "*");
          }
        }
      }
    }
    return types;
  }

  private static boolean isType(String text) {
    return text.matches("[A-Z][A-Za-z]{0,63}");
  }

  /** Whether the granted scopes allow {@code permission} ({@code r}, {@code s}) on the type. */
  private static boolean grants(Set<String> granted, String type, String permission) {
    String name = type.equals("Group!") ? "Group" : type;
    for (String scope : granted) {
      String scopeType = scope.substring("system/".length(), scope.indexOf('.'));
      String letters = scope.substring(scope.indexOf('.') + 1);
      if ((scopeType.equals("*") || scopeType.equals(name)) && letters.contains(permission)) {
        return true;
      }
    }
    return false;
  }

  /** A request body: its content type and text. */
  record ExportBody(String contentType, String text) {
    @Override
    public String toString() {
      return contentType + " " + FuzzInvariants.escape(text);
    }
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
  Arbitrary<String> exportLevels() {
    return Arbitraries.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/1/$export");
  }

  /** {@code _type} and {@code _typeFilter} values: types, lists, odd spellings, queries, junk. */
  private static Arbitrary<String> exportValues() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of("Patient", "Observation", "Group",
            "Patient,Observation", "Patient,Group", " Group", "Patient, Observation ,Group",
            "patient", "", ",", "*", "Observation?category=laboratory", "Group?name=x",
            "Patient?active=true,Group?name=x", "Observation?code=a,b", "Group%3Fname%3Dx",
            "?x=1", "Patient,")),
        net.jqwik.api.Tuple.of(1, FuzzStrings.nearly("Group")),
        net.jqwik.api.Tuple.of(1, FuzzStrings.junk()));
  }

  @Provide
  Arbitrary<String> exportQueries() {
    Arbitrary<String> pair = Combinators.combine(Arbitraries.of("_type", "_typeFilter",
            "_outputFormat", "_TYPE"), exportValues())
        .as((name, value) -> name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(3)
        .map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
  }

  @Provide
  Arbitrary<ExportBody> exportBodies() {
    Arbitrary<List<String[]>> parameters = Combinators.combine(
            Arbitraries.of("_type", "_type", "_typeFilter", "_outputFormat", "type", ""),
            exportValues())
        .as((name, value) -> new String[] {name, value}).list().ofMaxSize(4);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, parameters.map(AuthorizationFuzzTest::jsonParameters)),
        net.jqwik.api.Tuple.of(3, parameters.map(AuthorizationFuzzTest::xmlParameters)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(
            new ExportBody("application/fhir+json", ""),
            new ExportBody("application/fhir+json", "{\"resourceType\":\"Patient\"}"),
            new ExportBody("application/fhir+json", "{\"resourceType\":\"Parameters\","
                + "\"parameter\":[{\"name\":\"_type\",\"valueReference\":"
                + "{\"reference\":\"Group/1\"}}]}"),
            new ExportBody("text/plain", "_type=Group"),
            new ExportBody("application/x-www-form-urlencoded", "_type=Group"))),
        net.jqwik.api.Tuple.of(1, FuzzStrings.junk().map(
            junk -> new ExportBody("application/fhir+json", junk))));
  }

  private static ExportBody jsonParameters(List<String[]> parameters) {
    StringBuilder body = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[");
    for (int i = 0; i < parameters.size(); i++) {
      body.append(i == 0 ? "" : ",").append("{\"name\":\"").append(json(parameters.get(i)[0]))
          .append("\",\"valueString\":\"").append(json(parameters.get(i)[1])).append("\"}");
    }
    return new ExportBody("application/fhir+json", body.append("]}").toString());
  }

  private static ExportBody xmlParameters(List<String[]> parameters) {
    StringBuilder body = new StringBuilder("<Parameters xmlns=\"http://hl7.org/fhir\">");
    for (String[] parameter : parameters) {
      body.append("<parameter><name value=\"").append(xml(parameter[0]))
          .append("\"/><valueString value=\"").append(xml(parameter[1]))
          .append("\"/></parameter>");
    }
    return new ExportBody("application/fhir+xml", body.append("</Parameters>").toString());
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c == '"' || c == '\\' ? "\\" + c
          : c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  @Provide
  Arbitrary<Set<String>> exportScopes() {
    return Arbitraries.of("system/Patient.rs", "system/Observation.rs", "system/Group.rs",
        "system/Group.r", "system/Patient.r", "system/*.rs", "system/*.r").set().ofMaxSize(4);
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
