package dev.fhirguard.feature.admission;

import static dev.fhirguard.GuardHooks.requestsInFlight;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.Await;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.HoldingServlet;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global bound on requests in progress ({@code fhirguard.overload.max-in-flight}), over real
 * HTTP: requests held inside the application fill the bound, and the next one is refused at once
 * with 503 SERVER_OVERLOADED while they are still held. Nothing sleeps; a latch says when the held
 * requests are inside.
 */
class OverloadSheddingTest {

  private static final int MAX = 3;
  private static final String BUSY_TEXT =
      "The server is busy with too many requests. Please retry after 5 seconds.";

  private final ExecutorService clients = Executors.newCachedThreadPool();
  private TestServer server;
  private HoldingServlet holding;

  @AfterEach
  void stop() {
    if (holding != null) {
      holding.letGo();
    }
    clients.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private void start(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(
        Map.of("fhirguard.overload.max-in-flight", String.valueOf(MAX)));
    settings.putAll(more);
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(settings)).build();
    server = TestServer.with(guard)
        .context(context -> holding = HoldingServlet.mapAt(context, "/hold/*")).start();
  }

  /** Sends {@code count} requests to {@code path} that stay inside the application; returns them. */
  private List<CompletableFuture<HttpResponse<String>>> holdInside(int count, String path) {
    holding.hold(count);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      held.add(CompletableFuture.supplyAsync(() -> server.get(path), clients));
    }
    holding.awaitEntered();
    return held;
  }

  private static void assertAllReleased(List<CompletableFuture<HttpResponse<String>>> held) {
    for (CompletableFuture<HttpResponse<String>> request : held) {
      HttpResponse<String> response = request.join();
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("released", response.body());
    }
  }

  /** Waits (bounded) until every slot is given back; a slot that leaks fails here. */
  private void awaitNoneInFlight() {
    Await.until(() -> requestsInFlight(server.guard()) == 0,
        () -> requestsInFlight(server.guard()) + " slots were never given back");
  }

  /** The bound is full again: {@code MAX} requests can be held and one more is refused. */
  private void assertTheFullBoundCanBeHeldAgain(String path) {
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX, path);
    assertError(server.get("/plain/ok"), 503, "SERVER_OVERLOADED");
    holding.letGo();
    assertAllReleased(held);
    awaitNoneInFlight();
  }

  @Test
  void the_request_over_the_bound_is_refused_at_once_while_the_others_are_still_held() {
    start(Map.of());
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX, "/hold");

    HttpResponse<String> refused = server.get("/plain/ok");

    assertTrue(held.stream().noneMatch(CompletableFuture::isDone),
        "the refusal must not wait for the held requests");
    OperationOutcome outcome = assertError(refused, 503, "SERVER_OVERLOADED");
    assertEquals("transient", outcome.getIssueFirstRep().getCode().toCode());
    assertEquals(BUSY_TEXT + " Transaction id: " + requestId(refused), diagnostics(outcome));
    assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(MAX, requestsInFlight(server.guard()));

    holding.letGo();
    assertAllReleased(held);
    awaitNoneInFlight();
    assertEquals(200, server.get("/plain/ok").statusCode());
  }

  @Test
  void the_refusal_carries_the_configured_retry_after_and_speaks_the_negotiated_format() {
    start(Map.of("fhirguard.overload.retry-after", "1s"));
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX, "/hold");

    HttpResponse<String> refused = server.get("/fhir/Patient/1?_format=xml");

    assertTrue(diagnostics(assertError(refused, 503, "SERVER_OVERLOADED", true))
        .startsWith("The server is busy with too many requests. Please retry after 1 second. "));
    assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
    holding.letGo();
    assertAllReleased(held);
  }

  @Test
  void slots_are_given_back_after_the_application_throws_or_answers_an_error() {
    start(Map.of());
    for (String path : List.of("/plain/throw", "/plain/send-error/404", "/plain/status/500",
        "/plain/send-error/503", "/plain/html/502", "/plain/commit-then-throw", "/nowhere")) {
      for (int i = 0; i < MAX + 1; i++) {
        int status = server.rawGet(path).status(); // raw: commit-then-throw ends aborted
        assertTrue(status >= 200 && status != 503 || path.endsWith("/503"),
            () -> path + " answered " + status);
      }
    }
    awaitNoneInFlight();
    assertTheFullBoundCanBeHeldAgain("/hold");
  }

  @Test
  void an_async_request_keeps_its_slot_until_its_async_cycle_completes() {
    start(Map.of());
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX, "/hold/async");

    assertError(server.get("/plain/ok"), 503, "SERVER_OVERLOADED");
    assertEquals(MAX, requestsInFlight(server.guard()),
        "the request threads have returned, the async requests still hold their slots");

    holding.letGo();
    assertAllReleased(held);
    awaitNoneInFlight();
    assertTheFullBoundCanBeHeldAgain("/hold/async");
  }

  @Test
  void an_async_request_dispatched_and_restarted_gives_its_slot_back_exactly_once() {
    start(Map.of());
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX, "/hold/restart");

    assertError(server.get("/plain/ok"), 503, "SERVER_OVERLOADED");

    holding.letGo();
    assertAllReleased(held);
    awaitNoneInFlight();
    assertTheFullBoundCanBeHeldAgain("/hold/restart");
  }

  @Test
  void after_many_mixed_concurrent_requests_no_slot_is_leaked_and_none_is_counted_twice() {
    start(Map.of());
    List<String> paths = List.of("/plain/ok", "/plain/throw", "/plain/send-error/404",
        "/plain/status/500", "/fhir/Patient/1", "/fhir/Nope/1", "/nowhere", "/hold/async",
        "/hold");
    // nothing is held: /hold and /hold/async answer at once
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String path = paths.get(i % paths.size());
      String method = i % 7 == 0 ? "HEAD" : "GET";
      all.add(CompletableFuture.supplyAsync(
          () -> server.send(method, path, null).statusCode(), clients));
    }
    List<Integer> statuses = all.stream().map(CompletableFuture::join).toList();

    assertFalse(statuses.contains(0));
    awaitNoneInFlight();
    assertTheFullBoundCanBeHeldAgain("/hold");
    assertTheFullBoundCanBeHeldAgain("/hold/async");
  }

  @Test
  void without_a_bound_nothing_is_counted() {
    start(Map.of("fhirguard.overload.max-in-flight", "0"));
    List<CompletableFuture<HttpResponse<String>>> held = holdInside(MAX + 2, "/hold");

    assertEquals(200, server.get("/plain/ok").statusCode());

    holding.letGo();
    assertAllReleased(held);
  }
}
