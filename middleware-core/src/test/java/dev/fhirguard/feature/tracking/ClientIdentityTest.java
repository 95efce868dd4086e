package dev.fhirguard.feature.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.Tokens;
import dev.fhirguard.testing.WhoAmIServlet;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Who the application sees behind a verified token (principal, remote user, auth type, the
 * VerifiedClient attribute, the client id in the MDC), and the per-client address allow-list with
 * the client address read through trusted proxies only.
 */
class ClientIdentityTest {

  private static final String PREVIOUS = "set-by-an-outer-filter";

  private final TestClock clock = TestClock.atNow();
  private TestServer server;
  private LogCapture logs;
  private Path jwksFile;

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws IOException {
    jwksFile = dir.resolve("keys.json");
    Files.writeString(jwksFile, Tokens.sharedPublicSet().toString());
    logs = new LogCapture();
  }

  @AfterEach
  void tearDown() {
    logs.close();
    if (server != null) {
      server.close();
    }
  }

  private TestServer serve(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.jwks-file", jwksFile.toString(),
        "fhirguard.auth.public-paths", "/fhir/metadata, /whoami/public"));
    settings.putAll(extra);
    // In front of fhirguard: an MDC value under the client id key that must survive it.
    server = TestServer.tokenApp().settings(settings).clock(clock)
        .filterInFront((request, response, chain) -> {
          MDC.put("clientId", PREVIOUS);
          try {
            chain.doFilter(request, response);
            LoggerFactory.getLogger("outer").info("outer filter after the chain");
          } finally {
            MDC.remove("clientId");
          }
        }).start();
    return server;
  }

  private String token(String clientId) {
    return Tokens.rs256(Tokens.claims(clock).claim("client_id", clientId)
        .claim("tenant", "north").build());
  }

  private HttpResponse<String> whoami(String token, String... headers) {
    String[] all = Stream.concat(Stream.of("Authorization", "Bearer " + token), Stream.of(headers))
        .toArray(String[]::new);
    return server.get("/whoami/", all);
  }

  private List<ILoggingEvent> linesSaying(String message) {
    return logs.events().stream().filter(e -> e.getFormattedMessage().equals(message)).toList();
  }

  // ---- identity

  @Test
  void the_application_sees_the_verified_client_as_principal_remote_user_and_attribute() {
    serve(Map.of());
    HttpResponse<String> response = whoami(token("lab-app"));
    assertEquals(200, response.statusCode(), response::body);
    Map<String, String> seen = WhoAmIServlet.parse(response.body());
    assertEquals("lab-app", seen.get("principal"));
    assertEquals("true", seen.get("principalIsClient"));
    assertEquals("lab-app", seen.get("remoteUser"));
    assertEquals("Bearer", seen.get("authType"));
    assertEquals("lab-app", seen.get("clientId"));
    assertEquals("service-account-lab", seen.get("subject"));
    assertEquals(Tokens.SCOPE, seen.get("scopes"));
    assertEquals("north", seen.get("claim.tenant"));
    assertEquals(Tokens.ISSUER, seen.get("claim.iss"));
  }

  @Test
  void the_client_id_falls_back_to_azp_then_sub() {
    serve(Map.of());
    JWTClaimsSet azp = Tokens.claims(clock).claim("client_id", null).claim("azp", "azp-app").build();
    assertEquals("azp-app", WhoAmIServlet.parse(whoami(Tokens.rs256(azp)).body()).get("principal"));
    JWTClaimsSet sub = Tokens.claims(clock).claim("client_id", null).subject("sub-app").build();
    assertEquals("sub-app", WhoAmIServlet.parse(whoami(Tokens.rs256(sub)).body()).get("principal"));
  }

  @Test
  void a_configured_client_id_claim_names_the_client() {
    serve(Map.of("fhirguard.auth.client-id-claim", "cid"));
    JWTClaimsSet claims = Tokens.claims(clock).claim("cid", "custom-claim-app").build();
    assertEquals("custom-claim-app",
        WhoAmIServlet.parse(whoami(Tokens.rs256(claims)).body()).get("principal"));
  }

  @Test
  void a_public_request_has_no_principal_even_with_a_token() {
    serve(Map.of());
    HttpResponse<String> response =
        server.get("/whoami/public", "Authorization", "Bearer " + token("lab-app"));
    assertEquals(200, response.statusCode(), response::body);
    Map<String, String> seen = WhoAmIServlet.parse(response.body());
    assertEquals("", seen.get("principal"));
    assertEquals("null", seen.get("remoteUser"));
    assertNull(seen.get("clientId"));
    assertEquals(PREVIOUS, seen.get("mdc.clientId"), "nothing of fhirguard's under the key");
  }

  @Test
  void log_lines_during_the_request_carry_the_client_id_and_the_previous_value_is_restored() {
    serve(Map.of());
    HttpResponse<String> response = whoami(token("lab-app"));
    assertEquals("lab-app", WhoAmIServlet.parse(response.body()).get("mdc.clientId"));
    List<ILoggingEvent> served = linesSaying("whoami served");
    assertEquals(1, served.size());
    assertEquals("lab-app", served.get(0).getMDCPropertyMap().get("clientId"));
    List<ILoggingEvent> after = linesSaying("outer filter after the chain");
    assertEquals(1, after.size());
    assertEquals(PREVIOUS, after.get(0).getMDCPropertyMap().get("clientId"),
        "fhirguard restores what was under the key before it");
  }

  @Test
  void hapi_log_lines_carry_the_client_id_too() {
    serve(Map.of());
    HttpResponse<String> response =
        server.get("/fhir/Patient/1", "Authorization", "Bearer " + token("lab-app"));
    assertEquals(200, response.statusCode(), response::body);
    List<ILoggingEvent> reads = linesSaying("reading Patient 1");
    assertEquals(1, reads.size());
    assertEquals("lab-app", reads.get(0).getMDCPropertyMap().get("clientId"));
  }

  @Test
  void the_mdc_key_is_configurable() {
    serve(Map.of("fhirguard.mdc.client-id-key", "caller"));
    Map<String, String> seen = WhoAmIServlet.parse(whoami(token("lab-app")).body());
    assertEquals("lab-app", seen.get("mdc.caller"));
    assertEquals(PREVIOUS, seen.get("mdc.clientId"));
  }

  @Test
  void a_client_id_with_line_breaks_is_made_safe_for_the_mdc() {
    serve(Map.of());
    HttpResponse<String> response = whoami(token("evil\r\nINFO forged line"));
    assertEquals(200, response.statusCode(), response::body);
    String mdc = linesSaying("whoami served").get(0).getMDCPropertyMap().get("clientId");
    assertFalse(mdc.contains("\n") || mdc.contains("\r"), mdc);
  }

  // ---- address allow-list

  private static final String ALLOWED = "fhirguard.clients.lab-app.allowed-addresses";

  private void assertAddressRefused(HttpResponse<String> response) {
    OperationOutcome outcome = Outcomes.assertError(response, 403, "CLIENT_ADDRESS_NOT_ALLOWED");
    assertEquals("forbidden", outcome.getIssueFirstRep().getCode().toCode());
    assertTrue(Outcomes.diagnostics(outcome).contains("IP address not whitelisted"),
        () -> Outcomes.diagnostics(outcome));
    assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"));
    assertFalse(response.body().contains("127.0.0.1"), "the address is not echoed");
  }

  private static void assertAllowed(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response::body);
  }

  @Test
  void a_client_calling_from_outside_its_allowed_block_is_refused_with_403() {
    serve(Map.of(ALLOWED, "203.0.113.0/24"));
    assertAddressRefused(whoami(token("lab-app")));
    assertAddressRefused(server.get("/fhir/Patient/1", "Authorization", "Bearer " + token("lab-app")));
  }

  @Test
  void a_client_calling_from_inside_its_allowed_block_is_let_through() {
    serve(Map.of(ALLOWED, "203.0.113.0/24, 127.0.0.1/32"));
    assertAllowed(whoami(token("lab-app")));
  }

  @Test
  void a_client_without_an_allow_list_may_call_from_anywhere() {
    serve(Map.of(ALLOWED, "203.0.113.0/24"));
    assertAllowed(whoami(token("other-app")));
  }

  @Test
  void a_refused_address_is_checked_after_the_token_so_a_bad_token_is_still_a_401() {
    serve(Map.of(ALLOWED, "203.0.113.0/24"));
    HttpResponse<String> response = server.get("/whoami/", "Authorization", "Bearer a.b.c");
    assertEquals(401, response.statusCode(), response::body);
  }

  static Stream<Arguments> forwardedThroughTrustedProxy() {
    return Stream.of(
        Arguments.of("X-Forwarded-For", "203.0.113.7", true),
        Arguments.of("X-Forwarded-For", "203.0.113.7, 10.1.2.3", true),
        Arguments.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.2.3", true),
        Arguments.of("X-Forwarded-For", "203.0.113.7, 198.51.100.9", false),
        Arguments.of("X-Forwarded-For", "::ffff:203.0.113.7", true),
        Arguments.of("X-Forwarded-For", "not-an-address", false),
        Arguments.of("Forwarded", "for=\"[2001:db8::1]:443\"", true),
        Arguments.of("Forwarded", "for=\"[2001:db9::1]:443\"", false),
        Arguments.of("Forwarded", "for=203.0.113.7;proto=https, for=10.9.9.9", true),
        Arguments.of("Forwarded", "FOR=\"203.0.113.7:8080\";by=10.0.0.1", true),
        Arguments.of("Forwarded", "for=unknown", false),
        Arguments.of("Forwarded", "for=_hidden, for=203.0.113.7", true),
        Arguments.of("Forwarded", "proto=https", false));
  }

  @ParameterizedTest
  @MethodSource("forwardedThroughTrustedProxy")
  void behind_a_trusted_proxy_the_forwarded_client_address_is_checked(
      String header, String value, boolean allowed) {
    serve(Map.of(
        ALLOWED, "203.0.113.0/24, 2001:db8::/32",
        "fhirguard.client-address.trusted-proxies", "127.0.0.1, 10.0.0.0/8"));
    HttpResponse<String> response = whoami(token("lab-app"), header, value);
    if (allowed) {
      assertAllowed(response);
    } else {
      assertAddressRefused(response);
    }
  }

  @Test
  void the_forwarded_header_wins_over_x_forwarded_for() {
    serve(Map.of(ALLOWED, "203.0.113.0/24",
        "fhirguard.client-address.trusted-proxies", "127.0.0.1"));
    assertAddressRefused(whoami(token("lab-app"),
        "Forwarded", "for=198.51.100.1", "X-Forwarded-For", "203.0.113.7"));
  }

  @Test
  void a_trusted_proxy_that_forwards_nothing_is_itself_the_client() {
    serve(Map.of(ALLOWED, "203.0.113.0/24",
        "fhirguard.client-address.trusted-proxies", "127.0.0.1"));
    assertAddressRefused(whoami(token("lab-app")));
  }

  @Test
  void forwarding_headers_from_an_untrusted_peer_are_ignored() {
    serve(Map.of(ALLOWED, "203.0.113.0/24"));
    assertAddressRefused(whoami(token("lab-app"), "X-Forwarded-For", "203.0.113.7"));
    assertAddressRefused(whoami(token("lab-app"), "Forwarded", "for=203.0.113.7"));
  }

  @Test
  void forwarding_headers_from_a_peer_outside_the_trusted_blocks_are_ignored() {
    serve(Map.of(ALLOWED, "203.0.113.0/24",
        "fhirguard.client-address.trusted-proxies", "10.0.0.0/8, 127.0.0.2"));
    assertAddressRefused(whoami(token("lab-app"), "X-Forwarded-For", "203.0.113.7"));
  }
}
