package dev.fhirguard.feature.auth;

import static dev.fhirguard.testing.AuthAssertions.assertUnauthorized;
import static dev.fhirguard.testing.AuthAssertions.assertUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.WhoAmIServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache, seen through a counting {@link TokenVerifier} plugged in with the
 * builder: a token is verified once and served from the cache until the client's expiry, never
 * beyond; refusals and failures are never cached.
 */
class TokenCacheTest {

  private static final String PATIENT = "/fhir/Patient/1";

  private final TestClock clock = TestClock.atNow();
  private final AtomicInteger calls = new AtomicInteger();
  /** What the verifier does with a token; replaced by tests. */
  private volatile TokenVerifier behaviour = this::accept;
  private volatile Duration lifetime = Duration.ofMinutes(5);
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private VerifiedClient accept(String token) {
    String client = "client-" + token.substring(token.length() - 4);
    return new VerifiedClient(client, null, List.of("system/Patient.rs"),
        clock.instant().plus(lifetime), Map.of("verification", calls.get()));
  }

  private TestServer serve(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("fhirguard.auth.enabled", "true"));
    settings.putAll(extra);
    TokenVerifier counting = token -> {
      calls.incrementAndGet();
      return behaviour.verify(token);
    };
    server = TestServer.tokenApp().settings(settings).tokenVerifier(counting).clock(clock).start();
    return server;
  }

  private HttpResponse<String> call(String token) {
    return server.get(PATIENT, "Authorization", "Bearer " + token);
  }

  private static void assertOk(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response::body);
  }

  @Test
  void the_same_token_a_hundred_times_is_verified_once() {
    serve(Map.of());
    for (int i = 0; i < 100; i++) {
      assertOk(call("opaque-token-AAAA"));
    }
    assertEquals(1, calls.get());
  }

  @Test
  void with_a_budget_of_zero_bytes_every_request_is_verified() {
    serve(Map.of("fhirguard.auth.token-cache-max-bytes", "0"));
    for (int i = 0; i < 100; i++) {
      assertOk(call("opaque-token-AAAA"));
    }
    assertEquals(100, calls.get());
  }

  @Test
  void the_cache_holds_tokens_up_to_its_byte_budget_whatever_their_number() {
    serve(Map.of("fhirguard.auth.token-cache-max-bytes", "64KiB"));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tokens.add("A".repeat(4_000) + String.format("%04d", i)); // 20 tokens of 4 KB, over 64 KiB
    }
    tokens.forEach(token -> assertOk(call(token)));
    tokens.forEach(token -> assertOk(call(token)));
    // A second call hits only a token held when the second round began: 64 KiB hold at most 15.
    assertTrue(calls.get() >= 20 + 5, () -> calls.get() + " verifications");
  }

  @Test
  void two_tokens_are_cached_apart_and_each_request_sees_its_own_client() {
    serve(Map.of());
    for (int i = 0; i < 10; i++) {
      for (String token : List.of("token-one-1111", "token-two-2222")) {
        HttpResponse<String> response = server.get("/whoami/", "Authorization", "Bearer " + token);
        assertOk(response);
        assertEquals("client-" + token.substring(token.length() - 4),
            WhoAmIServlet.parse(response.body()).get("principal"));
      }
    }
    assertEquals(2, calls.get());
  }

  @Test
  void the_cached_client_is_the_one_first_verified_not_a_fresh_verification() {
    serve(Map.of());
    HttpResponse<String> first = server.get("/whoami/", "Authorization", "Bearer token-AAAA");
    HttpResponse<String> second = server.get("/whoami/", "Authorization", "Bearer token-AAAA");
    assertEquals("1", WhoAmIServlet.parse(first.body()).get("claim.verification"));
    assertEquals("1", WhoAmIServlet.parse(second.body()).get("claim.verification"));
  }

  @Test
  void a_cached_client_is_never_served_at_or_past_its_expiry() {
    lifetime = Duration.ofSeconds(60);
    serve(Map.of());
    assertOk(call("token-AAAA"));
    clock.advance(Duration.ofSeconds(59));
    assertOk(call("token-AAAA"));
    assertEquals(1, calls.get(), "still inside the lifetime: from the cache");

    behaviour = token -> {
      throw new TokenRejectedException(ErrorCode.TOKEN_EXPIRED, "The bearer token expired.");
    };
    clock.advance(Duration.ofSeconds(1)); // exactly at expiresAt
    assertUnauthorized(call("token-AAAA"), "TOKEN_EXPIRED", "expired", "The bearer token expired");
    assertEquals(2, calls.get(), "at its expiry the verifier is asked again");
  }

  @Test
  void a_client_verified_again_after_expiry_is_cached_for_its_new_lifetime() {
    lifetime = Duration.ofSeconds(60);
    serve(Map.of());
    assertOk(call("token-AAAA"));
    clock.advance(Duration.ofSeconds(61));
    assertOk(call("token-AAAA"));
    assertOk(call("token-AAAA"));
    assertEquals(2, calls.get());
  }

  @Test
  void a_client_already_expired_when_verified_is_not_cached() {
    lifetime = Duration.ZERO;
    serve(Map.of());
    call("token-AAAA");
    call("token-AAAA");
    assertEquals(2, calls.get());
  }

  @Test
  void refusals_are_never_cached() {
    behaviour = token -> {
      throw new TokenRejectedException(ErrorCode.TOKEN_SIGNATURE_INVALID,
          "The signature does not match the registered key.");
    };
    serve(Map.of());
    for (int i = 0; i < 10; i++) {
      assertUnauthorized(call("bad-token-BBBB"), "TOKEN_SIGNATURE_INVALID", "security",
          "The signature does not match the registered key.");
    }
    assertEquals(10, calls.get());
  }

  @Test
  void a_token_refused_once_is_accepted_when_the_verifier_accepts_it_later() {
    behaviour = token -> {
      throw new TokenRejectedException(ErrorCode.TOKEN_INACTIVE, "Not active yet.");
    };
    serve(Map.of());
    assertUnauthorized(call("token-CCCC"), "TOKEN_INACTIVE", "security", "Not active yet.");
    behaviour = this::accept;
    assertOk(call("token-CCCC"));
    assertEquals(2, calls.get());
  }

  @Test
  void a_verifier_that_throws_is_a_503_never_cached_and_never_a_500() {
    behaviour = token -> {
      throw new IllegalStateException("database of clients unreachable at db.internal:5432");
    };
    serve(Map.of());
    HttpResponse<String> response = call("token-DDDD");
    assertUnavailable(response, "db.internal", "5432", "IllegalStateException");
    call("token-DDDD");
    assertEquals(2, calls.get());
  }

  @Test
  void a_verifier_saying_verification_is_unavailable_is_a_503_with_retry_after() {
    behaviour = token -> {
      throw new TokenRejectedException(ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE,
          "The user directory is down.");
    };
    serve(Map.of());
    assertUnavailable(call("token-EEEE"));
    call("token-EEEE");
    assertEquals(2, calls.get());
  }

  @Test
  void a_verifier_message_with_quotes_and_line_breaks_still_makes_a_well_formed_challenge() {
    behaviour = token -> {
      throw new TokenRejectedException(ErrorCode.TOKEN_CLAIMS_INVALID,
          "Claim \"tenant\" is missing\r\nX-Injected: yes\\ and more");
    };
    serve(Map.of());
    HttpResponse<String> response = call("token-FFFF");
    assertUnauthorized(response, "TOKEN_CLAIMS_INVALID", "security", "tenant");
    assertFalse(response.headers().firstValue("X-Injected").isPresent());
  }

  @Test
  void the_verifier_is_not_asked_for_public_paths() {
    serve(Map.of());
    assertEquals(200, server.get("/fhir/metadata", "Authorization", "Bearer token-GGGG")
        .statusCode());
    assertEquals(0, calls.get());
  }

  @Test
  void a_verifier_may_only_refuse_with_a_401_code_or_verification_unavailable() {
    assertThrows(IllegalArgumentException.class,
        () -> new TokenRejectedException(ErrorCode.FORBIDDEN, "no"));
    assertThrows(IllegalArgumentException.class,
        () -> new TokenRejectedException(ErrorCode.INTERNAL_ERROR, "no"));
    assertEquals(ErrorCode.TOKEN_INACTIVE,
        new TokenRejectedException(ErrorCode.TOKEN_INACTIVE, "ok").code());
  }

  @Test
  void a_verified_client_needs_a_client_id_and_an_expiry() {
    assertThrows(IllegalArgumentException.class,
        () -> new VerifiedClient(" ", null, List.of(), Instant.now(), Map.of()));
    assertThrows(NullPointerException.class,
        () -> new VerifiedClient("a", null, List.of(), null, Map.of()));
    assertTrue(new VerifiedClient("a", null, List.of(), Instant.now(), Map.of())
        .subject().equals("a"), "the subject defaults to the client id");
  }
}
