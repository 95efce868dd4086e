package dev.fhirguard.feature.admission;

import static dev.fhirguard.GuardHooks.clientsInFlight;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.HoldingServlet;
import dev.fhirguard.testing.JwksServer;
import dev.fhirguard.testing.Tokens;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bound on each verified client's requests in progress ({@code
 * fhirguard.overload.max-in-flight-per-client}), over real HTTP with real signed JWTs from a real
 * JWKS: one client at its bound is refused 503 CLIENT_CONCURRENCY_EXCEEDED while another is
 * served, and a client's counter is gone once its requests are finished.
 */
class ClientConcurrencyTest {

  private static final int MAX = 2;

  private static JwksServer jwks;
  private static TestServer server;
  private static HoldingServlet holding;
  private static HoldingServlet openHolding;
  private final ExecutorService clients = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() {
    jwks = JwksServer.start(Tokens.sharedPublicSet());
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.auth.issuer", Tokens.ISSUER,
        "fhirguard.auth.audience", Tokens.AUDIENCE,
        "fhirguard.auth.jwks-url", jwks.url().toString(),
        "fhirguard.auth.public-paths", "/fhir/metadata, /open/*",
        "fhirguard.overload.max-in-flight-per-client", String.valueOf(MAX)))).build();
    server = TestServer.with(guard).context(context -> {
      holding = HoldingServlet.mapAt(context, "/hold/*");
      openHolding = HoldingServlet.mapAt(context, "/open/*");
    }).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    jwks.close();
  }

  @AfterEach
  void letEverythingGo() {
    holding.letGo();
    openHolding.letGo();
    clients.shutdownNow();
  }

  private static String tokenOf(String clientId) {
    return Tokens.rs256(Tokens.claims(Clock.systemUTC()).claim("client_id", clientId).build());
  }

  private static HttpResponse<String> getAs(String token, String path) {
    return server.get(path, "Authorization", "Bearer " + token);
  }

  private CompletableFuture<HttpResponse<String>> sendAs(String token, String path) {
    return CompletableFuture.supplyAsync(() -> getAs(token, path), clients);
  }

  private static void assertAllReleased(List<CompletableFuture<HttpResponse<String>>> held) {
    for (CompletableFuture<HttpResponse<String>> request : held) {
      HttpResponse<String> response = request.join();
      assertEquals(200, response.statusCode(), response.body());
    }
  }

  private static void awaitNoClientTracked() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (clientsInFlight(server.guard()) != 0) {
      if (System.nanoTime() > deadline) {
        fail(clientsInFlight(server.guard()) + " clients are still tracked");
      }
      Thread.yield();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/hold", "/hold/async"})
  void a_client_at_its_bound_is_refused_while_another_client_is_served(String path) {
    String clientA = tokenOf("client-a");
    String clientB = tokenOf("client-b");
    holding.hold(MAX);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < MAX; i++) {
      held.add(sendAs(clientA, path));
    }
    holding.awaitEntered();

    HttpResponse<String> refused = getAs(clientA, "/plain/ok");
    HttpResponse<String> other = getAs(clientB, "/plain/ok");

    assertTrue(held.stream().noneMatch(CompletableFuture::isDone));
    assertEquals("This client has too many requests in progress. Please retry after 5 seconds."
            + " Transaction id: " + requestId(refused),
        diagnostics(assertError(refused, 503, "CLIENT_CONCURRENCY_EXCEEDED")));
    assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(200, other.statusCode(), other.body());
    assertEquals(1, clientsInFlight(server.guard()));

    holding.letGo();
    assertAllReleased(held);
    awaitNoClientTracked();
    assertEquals(200, getAs(clientA, "/plain/ok").statusCode());
  }

  @Test
  void a_request_shaped_like_a_cors_preflight_with_a_token_counts_against_its_client() {
    // A browser's preflight carries no credentials: a request that brings a token is its
    // client's request, bound like any other.
    String busy = tokenOf("client-busy");
    holding.hold(MAX);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < MAX; i++) {
      held.add(sendAs(busy, "/hold"));
    }
    holding.awaitEntered();

    HttpResponse<String> refused = server.send("OPTIONS", "/plain/ok", null,
        "Authorization", "Bearer " + busy,
        "Origin", "https://app.example", "Access-Control-Request-Method", "GET");

    assertError(refused, 503, "CLIENT_CONCURRENCY_EXCEEDED");
    holding.letGo();
    assertAllReleased(held);
  }

  @Test
  void requests_without_a_verified_client_are_not_counted() {
    openHolding.hold(MAX + 2);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < MAX + 2; i++) {
      held.add(CompletableFuture.supplyAsync(() -> server.get("/open"), clients));
    }
    openHolding.awaitEntered();

    assertEquals(0, clientsInFlight(server.guard()));
    openHolding.letGo();
    assertAllReleased(held);
  }

  @Test
  void the_counters_of_many_clients_are_gone_once_their_requests_are_finished() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      tokens.add(tokenOf("client-" + i));
    }
    List<String> paths = List.of("/plain/ok", "/plain/throw", "/plain/send-error/404",
        "/hold/async", "/hold/restart", "/hold", "/nowhere");
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String token = tokens.get(i % tokens.size());
      String path = paths.get(i % paths.size());
      all.add(CompletableFuture.supplyAsync(() -> getAs(token, path).statusCode(), clients));
    }
    all.forEach(CompletableFuture::join);

    awaitNoClientTracked();
  }
}
