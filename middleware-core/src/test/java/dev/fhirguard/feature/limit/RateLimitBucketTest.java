package dev.fhirguard.feature.limit;

import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.LimitServer.header;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.testing.BulkDataServlet;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Token buckets over real HTTP with a clock that moves only when the test moves it: Retry-After
 * honoured to the second, greedy and interval refill, isolation of clients and addresses,
 * per-client overrides, the cost of export kick-offs and polls, concurrent requests.
 */
class RateLimitBucketTest {

  private static final String OK = "/plain/ok";

  private static void drain(LimitServer server, String client, int requests) {
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = server.get(client, OK);
      assertEquals(200, response.statusCode(), () -> "request " + response.body());
    }
  }

  private static long retryAfter(HttpResponse<String> refused) {
    assertError(refused, 429, "RATE_LIMITED");
    long seconds = Long.parseLong(header(refused, "Retry-After"));
    assertEquals("Rate limit exceeded. Please retry after " + seconds
        + (seconds == 1 ? " second." : " seconds."), diagnostics(assertError(refused, 429, null)));
    return seconds;
  }

  @ParameterizedTest(name = "capacity {0} per {1}: Retry-After {2}")
  @CsvSource({"3, 60s, 20", "7, 60s, 9", "1, 1s, 1", "2, 3s, 2", "1000, 1m, 1", "4, 1h, 900"})
  void a_request_after_the_advertised_wait_is_admitted_and_one_a_second_earlier_is_not(
      int capacity, String period, long expected) {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", String.valueOf(capacity),
        "fhirguard.rate-limit.period", period)) {
      drain(server, null, capacity);
      long wait = retryAfter(server.get(null, OK));
      assertEquals(expected, wait);
      server.advanceSeconds(wait - 1);
      assertEquals(1, retryAfter(server.get(null, OK)));
      server.advanceSeconds(1);
      assertEquals(200, server.get(null, OK).statusCode());
    }
  }

  @Test
  void interval_refill_is_a_fixed_window_that_comes_back_whole() {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3", "fhirguard.rate-limit.period", "60s",
        "fhirguard.rate-limit.refill", "interval")) {
      drain(server, null, 1);
      server.advanceSeconds(40);
      drain(server, null, 2);
      HttpResponse<String> refused = server.get(null, OK);
      assertEquals(20, retryAfter(refused)); // the window ends 60 s after it began, not after use
      assertEquals("20", header(refused, "X-RateLimit-Reset"));
      server.advanceSeconds(19);
      assertEquals(1, retryAfter(server.get(null, OK)));
      server.advanceSeconds(1);
      drain(server, null, 3);
      assertEquals(60, retryAfter(server.get(null, OK)));
    }
  }

  @Test
  void clients_have_their_own_buckets() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "2")) {
      drain(server, "alpha", 2);
      retryAfter(server.get("alpha", OK));
      HttpResponse<String> other = server.get("beta", OK);
      assertEquals(200, other.statusCode());
      assertEquals("1", header(other, "X-RateLimit-Remaining"));
    }
  }

  @Test
  void a_client_id_that_looks_like_another_key_does_not_share_its_bucket() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "2", "fhirguard.auth.public-paths", "/plain/*")) {
      drain(server, null, 2); // a public path: anonymous:127.0.0.1
      retryAfter(server.get(null, OK));
      assertEquals(200, server.get("anonymous:127.0.0.1", "/whoami/").statusCode());
      assertEquals(200, server.get("a", "/whoami/").statusCode());
      assertEquals(200, server.get("a", "/whoami/").statusCode()); // client:a is empty now
      assertEquals(200, server.get("client:a", "/whoami/").statusCode());
      assertEquals(200, server.get("a:", "/whoami/").statusCode());
    }
  }

  @Test
  void requests_without_a_token_are_counted_per_forwarded_address_behind_a_trusted_proxy() {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "2",
        "fhirguard.client-address.trusted-proxies", "127.0.0.1")) {
      for (int i = 0; i < 2; i++) {
        assertEquals(200, server.get(null, OK, "X-Forwarded-For", "10.0.0.1").statusCode());
      }
      retryAfter(server.get(null, OK, "X-Forwarded-For", "10.0.0.1"));
      assertEquals(200, server.get(null, OK, "X-Forwarded-For", "10.0.0.2").statusCode());
      assertEquals(200, server.get(null, OK).statusCode()); // the proxy itself
    }
  }

  @Test
  void forwarded_addresses_from_an_untrusted_peer_are_ignored() {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "2")) {
      server.get(null, OK, "X-Forwarded-For", "10.0.0.1");
      server.get(null, OK, "X-Forwarded-For", "10.0.0.2");
      retryAfter(server.get(null, OK, "X-Forwarded-For", "10.0.0.3"));
    }
  }

  @Test
  void a_clients_own_capacity_and_period_override_the_defaults() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "2", "fhirguard.rate-limit.period", "1m",
        "fhirguard.clients.big.rate-limit.capacity", "5",
        "fhirguard.clients.slow.rate-limit.period", "10m")) {
      HttpResponse<String> big = server.get("big", OK);
      assertEquals("5", header(big, "X-RateLimit-Limit"));
      drain(server, "big", 4);
      assertEquals(12, retryAfter(server.get("big", OK))); // 5 per minute
      drain(server, "slow", 2);
      assertEquals(300, retryAfter(server.get("slow", OK))); // 2 per 10 minutes
      assertEquals("2", header(server.get("other", OK), "X-RateLimit-Limit"));
    }
  }

  @Test
  void an_export_kickoff_takes_its_cost_and_a_poll_of_the_job_takes_nothing() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "30", "fhirguard.rate-limit.period", "30s")) {
      HttpResponse<String> kickoff = server.get("exporter", "/bulk/$export");
      assertEquals(202, kickoff.statusCode(), kickoff.body());
      assertEquals("20", header(kickoff, "X-RateLimit-Remaining"));
      assertEquals("10", header(kickoff, "X-RateLimit-Reset"));
      server.advanceSeconds(4);
      HttpResponse<String> poll = server.get("exporter", BulkDataServlet.statusUrl(1));
      assertEquals(202, poll.statusCode(), poll.body());
      assertEquals("24", header(poll, "X-RateLimit-Remaining"));
      assertEquals("6", header(poll, "X-RateLimit-Reset"));
      assertEquals("23", header(server.get("exporter", OK), "X-RateLimit-Remaining"));
    }
  }

  @ParameterizedTest(name = "refill {0}")
  @CsvSource({"greedy", "interval"})
  void a_free_poll_reports_the_same_reset_as_a_paid_request_would(String refill) {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3", "fhirguard.rate-limit.period", "60s",
        "fhirguard.rate-limit.refill", refill)) {
      HttpResponse<String> kickoff = server.get("exporter", "/bulk/$export"); // takes all 3
      assertEquals("60", header(kickoff, "X-RateLimit-Reset"));
      server.advanceSeconds(10);
      HttpResponse<String> poll = server.get("exporter", BulkDataServlet.statusUrl(1));
      assertEquals(202, poll.statusCode(), poll.body());
      assertEquals("0", header(poll, "X-RateLimit-Remaining"));
      assertEquals("50", header(poll, "X-RateLimit-Reset"));
      HttpResponse<String> refused = server.get("exporter", OK);
      assertEquals("50", header(refused, "X-RateLimit-Reset"));
    }
  }

  @Test
  void a_kickoff_costs_at_most_the_capacity_so_it_can_still_be_made() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "5", "fhirguard.rate-limit.period", "50s",
        "fhirguard.rate-limit.export-kickoff-cost", "100")) {
      HttpResponse<String> kickoff = server.get("exporter", "/bulk/Patient/$export");
      assertEquals(202, kickoff.statusCode(), kickoff.body());
      assertEquals("0", header(kickoff, "X-RateLimit-Remaining"));
      server.advanceSeconds(10);
      HttpResponse<String> again = server.send("exporter", "POST", "/bulk/Group/7/$export");
      assertEquals(40, retryAfter(again)); // 4 more tokens for a cost of 5, one per 10 s
    }
  }

  @Test
  void a_poll_costs_what_is_configured_and_a_foreign_status_url_costs_one() {
    try (LimitServer server = LimitServer.withClients("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "30", "fhirguard.rate-limit.export-kickoff-cost", "5",
        "fhirguard.rate-limit.export-poll-cost", "3", "fhirguard.export.min-poll-interval", "0s")) {
      assertEquals("25", header(server.get("exporter", "/bulk/$export"), "X-RateLimit-Remaining"));
      assertEquals("22",
          header(server.get("exporter", BulkDataServlet.statusUrl(1)), "X-RateLimit-Remaining"));
      assertEquals("19", header(server.send("exporter", "DELETE", BulkDataServlet.statusUrl(1)),
          "X-RateLimit-Remaining"));
      assertEquals("18",
          header(server.get("exporter", BulkDataServlet.statusUrl(1)), "X-RateLimit-Remaining"));
      HttpResponse<String> foreign = server.get("someone-else", BulkDataServlet.statusUrl(1));
      assertEquals("29", header(foreign, "X-RateLimit-Remaining"));
    }
  }

  @Test
  void concurrent_requests_are_admitted_exactly_up_to_the_capacity() throws Exception {
    int threads = 32;
    int each = 8;
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "100")) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> admitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          admitted.add(pool.submit(() -> {
            int ok = 0;
            for (int i = 0; i < each; i++) {
              int status = server.get(null, OK).statusCode();
              ok += status == 200 ? 1 : 0;
              if (status != 200 && status != 429) {
                throw new AssertionError("status " + status);
              }
            }
            return ok;
          }));
        }
        int total = 0;
        for (Future<Integer> future : admitted) {
          total += future.get();
        }
        assertEquals(100, total); // the clock stands still: nothing refills
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void the_fourth_request_of_three_is_refused_and_admitted_after_the_advertised_wait() {
    TestClock clock = TestClock.atNow();
    FhirGuard guard = withClock(FhirGuard.builder(), clock).config(FhirGuardConfig.load(Map.of(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3",
        "fhirguard.rate-limit.period", "1m"))).build();
    try (TestServer server = TestServer.start(guard)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> ok = server.get("/plain/ok");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("3", ok.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals(String.valueOf(2 - i),
            ok.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
      }
      HttpResponse<String> refused = server.get("/fhir/Patient/1");
      assertEquals("Rate limit exceeded. Please retry after 20 seconds.",
          diagnostics(assertError(refused, 429, "RATE_LIMITED")));
      assertEquals("20", refused.headers().firstValue("Retry-After").orElseThrow());
      assertEquals("0", refused.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
      assertEquals("60", refused.headers().firstValue("X-RateLimit-Reset").orElseThrow());
      clock.advance(Duration.ofSeconds(19));
      assertEquals(429, server.get("/plain/ok").statusCode());
      clock.advance(Duration.ofSeconds(1));
      assertEquals(200, server.get("/plain/ok").statusCode());
    }
  }

  @Test
  void a_failing_shared_store_admits_requests_and_is_logged_once_not_per_request() {
    AtomicInteger calls = new AtomicInteger();
    RateLimitStore down = (key, policy, cost) -> {
      calls.incrementAndGet();
      throw new IllegalStateException("redis at 10.0.0.7:6379 refused the connection");
    };
    FhirGuard guard = FhirGuard.builder().rateLimitStore(down).config(FhirGuardConfig.load(
        Map.of("fhirguard.rate-limit.enabled", "true"))).build();
    try (TestServer server = TestServer.start(guard); LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = server.get("/plain/ok");
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.headers().firstValue("X-RateLimit-Limit").isPresent());
      }
      assertEquals(20, calls.get());
      long reports = logs.at(Level.ERROR).stream()
          .filter(e -> e.getFormattedMessage().contains("rate-limit store failed")).count();
      assertEquals(1, reports, () -> LogCapture.render(logs.events()));
    }
  }
}
