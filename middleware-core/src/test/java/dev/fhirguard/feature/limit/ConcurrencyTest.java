package dev.fhirguard.feature.limit;

import static dev.fhirguard.GuardHooks.clientsInFlight;
import static dev.fhirguard.GuardHooks.requestsInFlight;
import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.testing.Await;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.HoldingServlet;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.TestClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads at once over real HTTP, where a race could over-admit or leak: the token cache
 * while the clock crosses the tokens' expiry, slots while held clients disconnect together,
 * concurrent export kick-offs and rate limits across many clients.
 *
 * <p>Covered elsewhere: one bucket and many keys under 32 threads at the store
 * ({@code RateLimitStoreTest}), one bucket over HTTP ({@code
 * RateLimitBucketTest.concurrent_requests_are_admitted_exactly_up_to_the_capacity}), two racing
 * kick-offs of one client ({@code ExportLimitTest.concurrent_kickoffs_of_one_client_get_one_slot}),
 * mixed concurrent requests against the in-flight bound ({@code OverloadSheddingTest}) and the
 * per-client bound ({@code ClientConcurrencyTest}).
 */
class ConcurrencyTest {

  private static final int THREADS = 16;

  private final TestClock clock = TestClock.atNow();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private TestServer server;
  private LimitServer limits;

  @AfterEach
  void stop() {
    pool.shutdownNow();
    if (server != null) {
      server.close();
    }
    if (limits != null) {
      limits.close();
    }
  }

  /** Runs {@code tasks} on their own threads, released together; returns their results. */
  private <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        return task.call();
      }));
    }
    assertTrue(ready.await(20, TimeUnit.SECONDS));
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  // ---- the token cache while tokens expire

  /** One request: the token, the clock just before it was sent, the status it got. */
  private record Use(int token, Instant sentAt, Instant answeredAt, int status, String code) {}

  @Test
  void while_the_clock_crosses_their_expiry_tokens_are_never_served_at_or_after_it()
      throws Exception {
    int tokens = 8;
    Instant start = clock.instant();
    // Token i expires (i + 1) seconds from now; the clock crosses all of them.
    Map<Integer, Instant> expiry = new HashMap<>();
    for (int i = 0; i < tokens; i++) {
      expiry.put(i, start.plusSeconds(i + 1));
    }
    Map<Integer, AtomicInteger> accepted = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
    TokenVerifier verifier = token -> {
      int i = Integer.parseInt(token.substring("token-".length()));
      if (!clock.instant().isBefore(expiry.get(i))) {
        refused.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
        throw new TokenRejectedException(ErrorCode.TOKEN_EXPIRED, "The bearer token expired.");
      }
      accepted.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
      return new VerifiedClient("client-" + i, null, List.of("system/Patient.rs"), expiry.get(i),
          Map.of());
    };
    server = TestServer.tokenApp().settings(Map.of("fhirguard.auth.enabled", "true"))
        .tokenVerifier(verifier).clock(clock).start();

    int steps = 100; // 100 ms each: 10 s, past the last expiry
    int perStep = 6; // requests answered between two moves of the clock
    AtomicInteger answered = new AtomicInteger();
    List<Use> uses = new CopyOnWriteArrayList<>();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        for (int n = 0; answered.get() < steps * perStep; n++) {
          int token = (thread + n) % tokens;
          Instant sentAt = clock.instant();
          HttpResponse<String> response =
              server.get("/whoami/", "Authorization", "Bearer token-" + token);
          String code = response.statusCode() == 200 ? null
              : Outcomes.catalogCoding(Outcomes.parse(response).getIssueFirstRep()).getCode();
          uses.add(new Use(token, sentAt, clock.instant(), response.statusCode(), code));
          answered.incrementAndGet();
        }
        return null;
      });
    }
    tasks.add(() -> { // moves the clock on as the requests come back, never sleeping
      for (int step = 1; step <= steps; step++) {
        int due = step * perStep;
        Await.until(() -> answered.get() >= due, () -> "requests stopped coming back");
        clock.advance(Duration.ofMillis(100));
      }
      return null;
    });
    try (LogCapture logs = new LogCapture()) {
      together(tasks);
      assertEquals(List.of(), logs.events().stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
          .map(LogCapture::render).collect(Collectors.toList()));
    }

    int served = 0;
    for (Use use : uses) {
      Instant expiresAt = expiry.get(use.token());
      if (use.status() == 200) {
        served++;
        assertTrue(use.sentAt().isBefore(expiresAt),
            () -> "served at or after its expiry: " + use + ", expiry " + expiresAt);
      } else {
        assertEquals(401, use.status(), use::toString);
        assertEquals("TOKEN_EXPIRED", use.code(), use::toString);
        assertTrue(!use.answeredAt().isBefore(expiresAt),
            () -> "refused before its expiry: " + use + ", expiry " + expiresAt);
      }
    }
    int servedCount = served;
    assertTrue(served > 0 && served < uses.size(), () -> servedCount + " of " + uses.size());
    for (int i = 0; i < tokens; i++) {
      int token = i;
      long refusals = uses.stream().filter(u -> u.token() == token && u.status() == 401).count();
      int verified = accepted.getOrDefault(i, new AtomicInteger()).get();
      assertTrue(verified >= 1 && verified <= THREADS,
          () -> "token " + token + " was verified " + verified + " times");
      assertEquals(refusals, refused.getOrDefault(i, new AtomicInteger()).get(),
          "each refusal is one verification: refusals are never cached");
    }
  }

  // ---- slots while held clients disconnect together

  private static final int MAX = 6;
  private static final int PER_CLIENT = 3;

  private HoldingServlet holding;

  private void startHolding() {
    Map<String, String> settings = new HashMap<>(Map.of(
        "fhirguard.auth.enabled", "true",
        "fhirguard.overload.max-in-flight", String.valueOf(MAX),
        "fhirguard.overload.max-in-flight-per-client", String.valueOf(PER_CLIENT)));
    TokenVerifier verifier = token -> new VerifiedClient(token, null, List.of("system/*.rs"),
        clock.instant().plus(Duration.ofHours(1)), Map.of());
    server = TestServer.tokenApp().settings(settings).tokenVerifier(verifier).clock(clock)
        .context(context -> holding = HoldingServlet.mapAt(context, "/hold/*")).start();
  }

  private Socket sendHeld(String client, String path) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + client
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return socket;
  }

  private void awaitAllSlotsBack() {
    Await.until(() -> requestsInFlight(server.guard()) == 0
            && clientsInFlight(server.guard()) == 0,
        () -> requestsInFlight(server.guard()) + " slots and "
            + clientsInFlight(server.guard()) + " client counters were never given back");
  }

  @Test
  void slots_come_back_when_every_held_client_disconnects_at_once() throws Exception {
    startHolding();
    for (int round = 0; round < 3; round++) {
      holding.hold(MAX);
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < MAX; i++) {
        String client = i % 2 == 0 ? "alice" : "bob";
        sockets.add(sendHeld(client, i < MAX / 2 ? "/hold" : "/hold/async"));
      }
      holding.awaitEntered();
      assertEquals(MAX, requestsInFlight(server.guard()));
      assertError(server.get("/plain/ok", "Authorization", "Bearer carol"), 503,
          "SERVER_OVERLOADED");

      try (LogCapture logs = new LogCapture()) {
        List<Callable<Void>> closes = new ArrayList<>();
        for (Socket socket : sockets) {
          closes.add(() -> {
            socket.close();
            return null;
          });
        }
        together(closes);
        holding.letGo(); // the application answers clients that are gone
        awaitAllSlotsBack();
        assertEquals(List.of(), logs.events().stream()
            .filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null)
            .map(LogCapture::render).collect(Collectors.toList()));
      }
    }
    assertTheBoundsHoldAgain();
  }

  /** The global bound and each client's bound can be filled again, and not exceeded. */
  private void assertTheBoundsHoldAgain() throws Exception {
    holding.hold(PER_CLIENT);
    List<Future<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < PER_CLIENT; i++) {
      held.add(pool.submit(() -> server.get("/hold", "Authorization", "Bearer alice")));
    }
    holding.awaitEntered();
    assertError(server.get("/plain/ok", "Authorization", "Bearer alice"), 503,
        "CLIENT_CONCURRENCY_EXCEEDED");
    assertEquals(200, server.get("/plain/ok", "Authorization", "Bearer bob").statusCode());
    holding.letGo();
    for (Future<HttpResponse<String>> request : held) {
      assertEquals("released", request.get(20, TimeUnit.SECONDS).body());
    }
    awaitAllSlotsBack();
  }

  // ---- export kick-offs and rate limits across clients

  @Test
  void a_burst_of_concurrent_kickoffs_from_several_clients_gets_exactly_their_slots()
      throws Exception {
    limits = LimitServer.withClients("fhirguard.export.max-concurrent", "2");
    List<String> clients = List.of("exporter-a", "exporter-b", "exporter-c");
    List<Callable<String>> kickoffs = new ArrayList<>();
    for (String client : clients) {
      for (int i = 0; i < 8; i++) {
        kickoffs.add(() -> {
          HttpResponse<String> response =
              limits.get(client, "/bulk/$export", "Prefer", "respond-async");
          if (response.statusCode() == 429) {
            assertError(response, 429, "EXPORT_LIMIT_REACHED");
          }
          return client + " " + response.statusCode();
        });
      }
    }
    List<String> answers = together(kickoffs);
    for (String client : clients) {
      assertEquals(2, answers.stream().filter((client + " 202")::equals).count(), answers::toString);
      assertEquals(6, answers.stream().filter((client + " 429")::equals).count(), answers::toString);
    }
    assertEquals(6, limits.bulk.kickoffs(), "only admitted kick-offs reach the application");
  }

  @Test
  void many_clients_hammered_together_each_get_exactly_their_capacity() throws Exception {
    int capacity = 25;
    limits = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", String.valueOf(capacity));
    int clients = 8;
    List<Callable<int[]>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS * 2; t++) {
      String client = "client-" + (t % clients); // four threads per client
      tasks.add(() -> {
        int[] counts = new int[2];
        for (int i = 0; i < 10; i++) {
          int status = limits.get(client, "/plain/ok").statusCode();
          assertTrue(status == 200 || status == 429, () -> "status " + status);
          counts[status == 200 ? 0 : 1]++;
        }
        return counts;
      });
    }
    List<int[]> results = together(tasks);
    for (int c = 0; c < clients; c++) {
      int admitted = 0;
      for (int t = c; t < results.size(); t += clients) {
        admitted += results.get(t)[0];
      }
      assertEquals(capacity, admitted, "client-" + c + " (the clock stands still: no refill)");
    }
  }
}
