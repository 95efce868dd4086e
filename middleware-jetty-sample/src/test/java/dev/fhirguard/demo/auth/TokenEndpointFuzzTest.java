package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.JSONStringUtils;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the sample's token endpoint over real HTTP: client assertions well signed with the
 * registered key under headers of every JSON type (objects whose alg, kid, typ, jku, x5u, x5c and
 * jwk take every JSON type, with unknown and repeated members), scope strings (SMART scopes, near
 * misses, control, non-ASCII and over-long ones), and failed client authentication of known and
 * unknown clients. Every answer is a 200 or an RFC 6749 section 5.2 error (JSON, the
 * error_description in the characters allowed, 401 with a challenge), never a 5xx; no log line
 * has a control or line-separator character; and the outcome is the one the rules predict.
 */
class TokenEndpointFuzzTest {

  private static final String CLIENT = "bulk-exporter";
  private static final String KID = "bulk-exporter-demo-1";
  private static final Set<String> ERRORS = Set.of("invalid_request", "invalid_client",
      "unauthorized_client", "unsupported_grant_type", "invalid_scope");
  /** RFC 6749 section 5.2: the characters of error_description. */
  private static final Pattern DESCRIPTION = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*");
  /** The SMART resource scope grammar, written independently of SmartScope. */
  private static final Pattern SMART_SCOPE = Pattern.compile("(system|user|patient)/"
      + "(\\*|[A-Z][A-Za-z]*)\\.(read|write|\\*|(?=[cruds])c?r?u?d?s?)"
      + "(\\?[\\x21\\x23-\\x5B\\x5D-\\x7E]+)?");
  private static final String ADMIN_SCOPES = "system/*.cruds";
  /** typ values that mean JWT (RFC 7515 section 4.1.9), and JSON null: no typ. */
  private static final Set<String> JWT_TYPES =
      Set.of("null", "\"JWT\"", "\"jwt\"", "\"application/jwt\"", "\"APPLICATION/JWT\"");

  private static AuthServerFixture server;
  private static ECKey stranger;
  private static final Queue<String> LOG_LINES = new ConcurrentLinkedQueue<>();
  private static final AppenderBase<ILoggingEvent> APPENDER = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      LOG_LINES.add(event.getFormattedMessage());
    }
  };

  @BeforeContainer
  static void start() throws Exception {
    server = AuthServerFixture.start();
    stranger = new ECKeyGenerator(Curve.P_384).keyID("reader-demo-1").generate();
    APPENDER.start();
    logger().addAppender(APPENDER);
  }

  @AfterContainer
  static void stop() throws Exception {
    logger().detachAppender(APPENDER);
    server.close();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger("dev.fhirguard.demo.auth");
  }

  @BeforeTry
  void forgetLogLines() {
    LOG_LINES.clear();
  }

  /** A JOSE header as sent, and whether the rules accept it. */
  record Header(String json, boolean acceptable) {}

  @Property
  void an_assertion_gets_a_token_only_under_a_header_that_keeps_to_the_rules(
      @ForAll("headers") Header header) throws Exception {
    String assertion = TestAssertion.of(CLIENT, server.auth().tokenUrl()).signUnder(header.json());

    HttpResponse<String> response = server.postToken(TestAssertion.form(assertion));

    assertSafe(response, assertion);
    if (header.acceptable()) {
      assertEquals(200, response.statusCode(), () -> header + " -> " + response.body());
    } else {
      String description = AuthServerFixture.assertError(response, 400, "invalid_client");
      assertTrue(description.startsWith(OAuthException.ASSERTION_PREFIX), description);
    }
  }

  /** Found by this fuzzer: Nimbus drops an empty {@code x5c} from the header it parsed. */
  @Example
  void an_empty_x5c_array_is_a_key_source_too() throws Exception {
    an_assertion_gets_a_token_only_under_a_header_that_keeps_to_the_rules(new Header(
        "{\"alg\":\"RS384\",\"kid\":\"bulk-exporter-demo-1\",\"x5c\":[]}", false));
  }

  @Property
  void a_scope_is_granted_only_when_it_is_bounded_printable_ascii_smart_scopes(
      @ForAll("scopes") String fuzzed) throws Exception {
    String encoded = URLEncoder.encode(fuzzed, StandardCharsets.UTF_8);
    String scope = URLDecoder.decode(encoded, StandardCharsets.UTF_8); // as the server reads it

    HttpResponse<String> response = server.postToken("grant_type=client_credentials&scope="
        + encoded, "Authorization", AuthServerFixture.basic("admin", "admin-secret"));

    assertSafe(response, null);
    String expected = grantedToAdmin(scope);
    if (expected == null) {
      AuthServerFixture.assertError(response, 400, "invalid_scope");
    } else {
      assertEquals(200, response.statusCode(), response::body);
      assertEquals(expected, AuthServerFixture.json(response).get("scope"));
    }
  }

  @Property
  void an_assertion_not_signed_by_its_client_gets_one_answer_whoever_the_client(
      @ForAll("clientIds") String clientId, @ForAll("kids") String kid) throws Exception {
    String assertion = TestAssertion.of(CLIENT, server.auth().tokenUrl())
        .claim("iss", clientId).claim("sub", clientId)
        .signedWith(new ECKey.Builder(stranger).keyID(kid).build(), JWSAlgorithm.ES384).sign();

    HttpResponse<String> response = server.postToken(TestAssertion.form(assertion));

    assertSafe(response, assertion);
    assertEquals(OAuthException.ASSERTION_NOT_VERIFIED,
        AuthServerFixture.assertError(response, 400, "invalid_client"));
  }

  @Property
  void wrong_basic_credentials_get_one_answer_whoever_the_client(
      @ForAll("clientIds") String clientId, @ForAll("secrets") String secret) throws Exception {
    String credentials = AuthServerFixture.basic(
        URLEncoder.encode(clientId, StandardCharsets.UTF_8),
        URLEncoder.encode(secret, StandardCharsets.UTF_8));

    HttpResponse<String> response =
        server.postToken("grant_type=client_credentials", "Authorization", credentials);

    assertSafe(response, null);
    assertEquals(OAuthException.BASIC_NOT_VERIFIED,
        AuthServerFixture.assertError(response, 401, "invalid_client"));
  }

  private static void assertSafe(HttpResponse<String> response, String assertion)
      throws Exception {
    String where = " in " + response.statusCode() + " " + response.body();
    int status = response.statusCode();
    assertTrue(status == 200 || status == 400 || status == 401, () -> "status" + where);
    assertEquals("no-store", AuthServerFixture.header(response, "Cache-Control"), where);
    Map<String, Object> body = JSONObjectUtils.parse(response.body());
    if (status != 200) {
      assertTrue(ERRORS.contains(body.get("error")), () -> "error code" + where);
      assertTrue(DESCRIPTION.matcher((String) body.get("error_description")).matches(),
          () -> "error_description characters" + where);
    }
    if (status == 401) {
      assertNotNull(AuthServerFixture.header(response, "WWW-Authenticate"), where);
    }
    if (assertion != null) {
      String signature = assertion.substring(assertion.lastIndexOf('.') + 1);
      assertFalse(!signature.isEmpty() && response.body().contains(signature), "echoed" + where);
    }
    for (String line : LOG_LINES) {
      assertTrue(line.chars().noneMatch(c -> Character.isISOControl(c)
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR), () -> "log line " + line);
    }
  }

  /** The scope the admin client (system/*.cruds) is granted for {@code scope}; null: refused. */
  private static String grantedToAdmin(String scope) {
    if (scope.isEmpty()) {
      return ADMIN_SCOPES; // an empty parameter counts as omitted
    }
    if (scope.length() > TokenRequest.MAX_SCOPE_LENGTH
        || !scope.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return null;
    }
    if (scope.isBlank()) {
      return ADMIN_SCOPES;
    }
    Set<String> granted = new LinkedHashSet<>();
    for (String token : scope.strip().split(" +")) {
      if (!SMART_SCOPE.matcher(token).matches()) {
        return null;
      }
      if (token.startsWith("system/")) {
        granted.add(token);
      }
    }
    return granted.isEmpty() ? null : String.join(" ", granted);
  }

  @Provide
  Arbitrary<Header> headers() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of("null", "true", "false", "0", "-1.5e300", "\"RS384\"", "[]",
            "[{\"alg\":\"RS384\"}]", "{}", "", "{", "{\"alg\":\"RS384\"")
            .map(json -> new Header(json, false))),
        Tuple.of(6, objectHeaders()));
  }

  /** A member of a fuzzed header object: its name and JSON value. */
  record Member(String name, String json) {}

  private Arbitrary<Header> objectHeaders() {
    List<Arbitrary<List<Member>>> members = List.of(
        member("alg", 1, 12, 3, "\"RS384\"", "\"ES384\"", "\"RS256\"", "\"none\"",
            "\"HS384\"", "\"rs384\"", "null", "384", "[\"RS384\"]", "{}"),
        member("kid", 1, 12, 3, "\"" + KID + "\"", "\"reader-demo-1\"", "\"\"", "null", "1",
            "{}", "[\"" + KID + "\"]", "\"" + KID + " \"", "\"BULK-EXPORTER-DEMO-1\""),
        member("typ", 6, 3, 4, "\"JWT\"", "\"jwt\"", "\"application/jwt\"",
            "\"APPLICATION/JWT\"", "\"at+jwt\"", "\"JOSE\"", "\"\"", "null", "5", "true",
            "\"application/jwt+x\"", "\"application/jwt; x=1\"", "\"JWT \"", "\"text/jwt\""),
        member("jku", 20, 1, 1, "\"" + server.auth().jwksUrl() + "\"",
            "\"https://attacker.example/jwks\"", "\"not a uri\"", "null", "7", "{}"),
        member("x5u", 20, 1, 1, "\"https://attacker.example/chain.pem\"",
            "\"" + server.auth().jwksUrl() + "\"", "null", "[]"),
        member("x5c", 20, 1, 1, "[\"MIIB\"]", "[]", "null", "\"x\""),
        member("jwk", 20, 1, 1, registeredPublicKey(), stranger.toPublicJWK().toJSONString(),
            "\"x\"", "{}", "null", "[]"),
        Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(n -> "x-" + n),
                jsonValue())
            .as(Member::new).list().ofMaxSize(2));
    return Combinators.combine(Combinators.combine(members).as(lists -> lists.stream()
            .flatMap(List::stream).toList()), Arbitraries.of(false, false, false, false, true))
        .as(TokenEndpointFuzzTest::header);
  }

  /**
   * {@code name} absent, with the first of {@code values}, or with another, in the proportions
   * {@code absent}, {@code first} and {@code other}.
   */
  private static Arbitrary<List<Member>> member(String name, int absent, int first, int other,
      String... values) {
    return Arbitraries.frequencyOf(
        Tuple.of(absent, Arbitraries.just(List.of())),
        Tuple.of(first, Arbitraries.just(List.of(new Member(name, values[0])))),
        Tuple.of(other, Arbitraries.of(values).map(value -> List.of(new Member(name, value)))));
  }

  /**
   * The header object of {@code members} (the first one twice when {@code repeat}); acceptable
   * when no name repeats, alg RS384, kid the registered one, typ absent or JWT as RFC 7515 spells it,
   * and no key source.
   */
  private static Header header(List<Member> members, boolean repeat) {
    List<Member> sent = new ArrayList<>(members);
    if (repeat && !members.isEmpty()) {
      sent.add(members.get(0));
    }
    StringJoiner json = new StringJoiner(",", "{", "}");
    Map<String, String> named = new HashMap<>();
    for (Member member : sent) {
      json.add("\"" + member.name() + "\":" + member.json());
      named.put(member.name(), member.json());
    }
    // a repeated member name makes the header unacceptable (RFC 7515 §4: names MUST be unique),
    // whether the repeat is the first member sent twice or two generated x- members alike
    boolean acceptable = named.size() == sent.size()
        && "\"RS384\"".equals(named.get("alg"))
        && ("\"" + KID + "\"").equals(named.get("kid"))
        && JWT_TYPES.contains(named.getOrDefault("typ", "null"))
        && Stream.of("jku", "x5u", "x5c", "jwk")
            .allMatch(source -> named.getOrDefault(source, "null").equals("null"));
    return new Header(json.toString(), acceptable);
  }

  private static String registeredPublicKey() {
    try {
      return TestAssertion.demoPrivateKey(CLIENT).toPublicJWK().toJSONString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Arbitrary<String> jsonValue() {
    return Arbitraries.oneOf(
        Arbitraries.of("null", "true", "false", "0", "1e3", "[]", "{}", "[null]", "{\"a\":[1]}"),
        Arbitraries.strings().all().ofMaxLength(12).map(JSONStringUtils::toJSONString));
  }

  @Provide
  Arbitrary<String> scopes() {
    Arbitrary<String> token = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("system/Patient.rs", "system/*.read",
            "system/Observation.rs?category=laboratory", "system/Patient.write", "system/Patient.*",
            "system/Group.cruds", "user/Observation.r", "patient/*.cruds", "system/*.s",
            "system/Observation.rs?code=http://loinc.org|1-8")),
        Tuple.of(3, Arbitraries.of("system/Patient", "system/patient.rs",
            "system/Patient.sr", "system/Patient.rs?", "openid", "launch/patient", "fhirUser",
            "offline_access", "system/Patient.rs?a\"b", "system/Patient.rs?a\\b",
            "system/Patient.rsx", "SYSTEM/Patient.rs", "system//Patient.rs", "system/Patient.")),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(16)),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u007f')
            .ofMaxLength(16)),
        Tuple.of(2, Arbitraries.of("system/Patient.rs?x=\u0085forged",
            "system/Patient.rs?x=\u2028", "system/Patient.rs?x=\u00e9", "\r\nINFO forged",
            "\t", "\u0000", "\uD800", "%", "+", "")));
    Arbitrary<String> separator = Arbitraries.of(" ", " ", " ", "  ", "\t", "\n", "");
    Arbitrary<String> padding = Arbitraries.of(0, 0, 0, 56, 57)
        .map(n -> "system/Patient.rs ".repeat(n));
    return Combinators.combine(padding, token.list().ofMaxSize(5), separator,
            Arbitraries.of("", "", " "))
        .as((pad, tokens, sep, edge) -> edge + pad + String.join(sep, tokens) + edge);
  }

  @Provide
  Arbitrary<String> clientIds() {
    return Arbitraries.oneOf(
        Arbitraries.of("admin", "writer", "reader", "bulk-exporter", "patient-reader",
            "ip-restricted", "nobody", "Writer", "writer ", "", "a".repeat(300)),
        Arbitraries.strings().all().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> kids() {
    return Arbitraries.oneOf(Arbitraries.of("reader-demo-1", KID, "", "x"),
        Arbitraries.strings().all().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "secret", "reader-secret", "admin-secret ", "ADMIN-SECRET"),
        Arbitraries.strings().all().ofMaxLength(20))
        .filter(secret -> !List.of("admin-secret", "writer-secret", "patient-reader-secret",
            "ip-restricted-secret").contains(secret));
  }
}
