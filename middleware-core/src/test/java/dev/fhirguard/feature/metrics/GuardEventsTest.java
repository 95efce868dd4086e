package dev.fhirguard.feature.metrics;

import static dev.fhirguard.GuardHooks.withClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.GuardListener;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.Upstream;
import dev.fhirguard.UpstreamException;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.testing.Await;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.HoldingServlet;
import dev.fhirguard.testing.TestClock;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener seam over real HTTP: each decision is told once, from where it is made (token
 * checks, rate limits, circuits, maintenance), and {@link FhirGuard#status()} shows the requests
 * in flight and the maintenance state.
 */
class GuardEventsTest {

  private static final String PLAIN = "/plain/ok";

  private final TestClock clock = TestClock.atNow();
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private final GuardListener recorder = new GuardListener() {
    @Override
    public void onRateLimit(RateLimitDecision decision) {
      events.add(decision);
    }

    @Override
    public void onTokenVerification(TokenVerification verification) {
      events.add(new TokenVerification(verification.valid(), verification.code(),
          verification.cached(), 0)); // the time varies
      assertTrue(verification.nanos() >= 0);
    }

    @Override
    public void onCircuitTransition(CircuitTransition transition) {
      events.add(transition);
    }

    @Override
    public void onMaintenance(boolean on) {
      events.add(on ? "maintenance on" : "maintenance off");
    }
  };
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Accepts tokens starting with "good-" as the client named by the rest. */
  private static final TokenVerifier VERIFIER = token -> {
    if (!token.startsWith("good-")) {
      throw new TokenRejectedException(ErrorCode.TOKEN_SIGNATURE_INVALID, "bad signature");
    }
    return new VerifiedClient(token.substring(5), null, List.of("system/*.rs"),
        java.time.Instant.now().plus(Duration.ofHours(1)), Map.of());
  };

  private FhirGuard guard(Map<String, String> settings) {
    return withClock(FhirGuard.builder().config(FhirGuardConfig.load(settings))
        .tokenVerifier(VERIFIER).listener(recorder), clock).build();
  }

  private HttpResponse<String> get(String token) {
    return token == null ? server.get(PLAIN) : server.get(PLAIN, "Authorization", "Bearer " + token);
  }

  @Test
  void a_token_check_is_told_with_its_verdict_and_whether_the_cache_answered() {
    server = TestServer.start(guard(Map.of("fhirguard.auth.enabled", "true")));
    assertEquals(200, get("good-a").statusCode());
    assertEquals(200, get("good-a").statusCode());
    assertEquals(401, get("forged").statusCode());
    assertEquals(401, get(null).statusCode()); // no token: nothing verified, nothing told
    assertEquals(List.of(
        new GuardListener.TokenVerification(true, null, false, 0),
        new GuardListener.TokenVerification(true, null, true, 0),
        new GuardListener.TokenVerification(false, ErrorCode.TOKEN_SIGNATURE_INVALID, false, 0)),
        events);
  }

  @Test
  void each_rate_limit_decision_is_told_with_its_limit_result_and_store() {
    server = TestServer.start(guard(Map.of("fhirguard.auth.enabled", "true",
        "fhirguard.rate-limit.enabled", "true", "fhirguard.rate-limit.capacity", "1",
        "fhirguard.address-limit.enabled", "true", "fhirguard.address-limit.capacity", "3")));
    assertEquals(200, get("good-a").statusCode());
    assertEquals(429, get("good-a").statusCode());
    assertEquals(401, get(null).statusCode()); // the address limit decides before the token
    assertEquals(429, get(null).statusCode());
    server.close();
    server = TestServer.start(guard(Map.of("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "1")));
    assertEquals(200, get(null).statusCode());
    assertEquals(429, get(null).statusCode());
    events.removeIf(event -> !(event instanceof GuardListener.RateLimitDecision));
    assertEquals(List.of(
        decision("address", true), decision("client", true),
        decision("address", true), decision("client", false),
        decision("address", true), decision("address", false),
        decision("anonymous", true), decision("anonymous", false)), events);
  }

  private static GuardListener.RateLimitDecision decision(String limit, boolean allowed) {
    return new GuardListener.RateLimitDecision(limit, allowed, "local");
  }

  @Test
  void a_circuit_that_opens_is_told_once_with_its_upstream_and_states() {
    FhirGuard guard = guard(Map.of("fhirguard.upstream.minimum-number-of-calls", "2",
        "fhirguard.upstream.sliding-window-size", "2"));
    Upstream ehr = guard.upstream("ehr");
    for (int i = 0; i < 3; i++) {
      assertThrows(UpstreamException.class, () -> ehr.call(() -> {
        throw new ConnectException("refused");
      }));
    }
    assertEquals(List.of(new GuardListener.CircuitTransition("ehr", "CLOSED", "OPEN")), events);
    assertEquals(1, guard.circuitBreakers().getAllCircuitBreakers().size());
  }

  @Test
  void maintenance_is_told_on_each_change_only_from_the_api_and_the_file(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("maintenance");
    server = TestServer.start(guard(Map.of("fhirguard.maintenance.file", file.toString())));
    FhirGuard guard = server.guard();
    guard.maintenance(true);
    guard.maintenance(true);
    assertTrue(guard.status().maintenance());
    guard.maintenance(false);
    Files.createFile(file);
    clock.advance(Duration.ofSeconds(2));
    assertEquals(503, get(null).statusCode());
    assertEquals(503, get(null).statusCode());
    Files.delete(file);
    clock.advance(Duration.ofSeconds(2));
    assertEquals(200, get(null).statusCode());
    assertEquals(List.of("maintenance on", "maintenance off", "maintenance on", "maintenance off"),
        events);
    assertTrue(!guard.status().maintenance());
  }

  @Test
  void the_status_counts_requests_in_flight_until_they_finish_async_ones_included() {
    HoldingServlet[] holding = new HoldingServlet[1];
    server = TestServer.with(guard(Map.of()))
        .context(context -> holding[0] = HoldingServlet.mapAt(context, "/hold/*")).start();
    assertEquals(0, server.guard().status().requestsInFlight());
    holding[0].hold(2);
    CompletableFuture<HttpResponse<String>> sync =
        CompletableFuture.supplyAsync(() -> server.get("/hold/sync"));
    CompletableFuture<HttpResponse<String>> async =
        CompletableFuture.supplyAsync(() -> server.get("/hold/async"));
    holding[0].awaitEntered();
    assertEquals(2, server.guard().status().requestsInFlight());
    holding[0].letGo();
    assertEquals(200, sync.join().statusCode());
    assertEquals(200, async.join().statusCode());
    Await.until(() -> server.guard().status().requestsInFlight() == 0,
        () -> server.guard().status() + " after both answered");
    assertEquals(0, server.guard().status().activeExports());
    assertEquals(null, server.guard().status().cluster());
  }
}
