package dev.fhirguard.feature.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.GuardListener;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.metrics.FhirGuardMetrics;
import dev.fhirguard.testing.TestServer;
import dev.fhirguard.testing.LogCapture;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer binding: each event moves its meter by one, the gauges read the guard, the
 * circuit breakers' own meters appear for upstreams made after binding, client ids never become
 * tags, and a listener that throws or dawdles changes no answer.
 */
class FhirGuardMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FhirGuardMetrics metrics = new FhirGuardMetrics(registry);

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void an_outcome_counts_by_status_code_and_stage_and_a_refusal_also_by_reason() {
    metrics.onOutcome(new GuardListener.Outcome(429, ErrorCode.RATE_LIMITED, "c1", "rate-limit"));
    metrics.onOutcome(new GuardListener.Outcome(429, ErrorCode.RATE_LIMITED, "c2", "rate-limit"));
    metrics.onOutcome(new GuardListener.Outcome(500, ErrorCode.INTERNAL_ERROR, null, "application"));
    assertEquals(2, count("fhirguard.outcomes", "status", "429", "code", "RATE_LIMITED",
        "stage", "rate-limit"));
    assertEquals(1, count("fhirguard.outcomes", "status", "500", "code", "INTERNAL_ERROR",
        "stage", "application"));
    assertEquals(2, count("fhirguard.refusals", "reason", "RATE_LIMITED"));
    assertNull(registry.find("fhirguard.refusals").tag("reason", "INTERNAL_ERROR").counter(),
        "an application's error is no refusal of fhirguard's");
  }

  @Test
  void decisions_token_checks_circuits_exports_and_maintenance_each_move_their_meter() {
    metrics.onRateLimit(new GuardListener.RateLimitDecision("client", false, "fallback"));
    metrics.onTokenVerification(
        new GuardListener.TokenVerification(true, null, true, 2_000_000));
    metrics.onTokenVerification(new GuardListener.TokenVerification(
        false, ErrorCode.TOKEN_EXPIRED, false, 1_000));
    metrics.onCircuitTransition(new GuardListener.CircuitTransition("ehr", "CLOSED", "OPEN"));
    metrics.onExportSlot(new GuardListener.ExportSlot("started", 1));
    metrics.onExportSlot(new GuardListener.ExportSlot("refused", 1));
    metrics.onMaintenance(true);
    assertEquals(1, count("fhirguard.rate.limit.decisions", "result", "refused",
        "limit", "client", "store", "fallback"));
    assertEquals(1, registry.get("fhirguard.token.verifications")
        .tags("result", "valid", "cache", "hit").timer().count());
    assertEquals(2.0, registry.get("fhirguard.token.verifications")
        .tags("result", "valid", "cache", "hit").timer().totalTime(TimeUnit.MILLISECONDS));
    assertEquals(1, registry.get("fhirguard.token.verifications")
        .tags("result", "TOKEN_EXPIRED", "cache", "miss").timer().count());
    assertEquals(1, count("fhirguard.circuit.transitions", "upstream", "ehr", "from", "CLOSED",
        "to", "OPEN"));
    assertEquals(1, count("fhirguard.export.slots", "change", "started"));
    assertEquals(1, count("fhirguard.export.slots", "change", "refused"));
    assertEquals(0, count("fhirguard.export.slots", "change", "ended"));
    assertEquals(1, count("fhirguard.maintenance.switches", "state", "on"));
  }

  @Test
  void the_gauges_read_the_guard_and_every_upstream_gets_resilience4j_meters() {
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(Map.of()))
        .listener(metrics).build();
    metrics.bindTo(guard);
    guard.upstream("before");
    assertEquals(0, registry.get("fhirguard.maintenance").gauge().value());
    guard.maintenance(true);
    assertEquals(1, registry.get("fhirguard.maintenance").gauge().value());
    assertEquals(1, count("fhirguard.maintenance.switches", "state", "on"));
    assertEquals(0, registry.get("fhirguard.requests.in.flight").gauge().value());
    assertEquals(0, registry.get("fhirguard.exports.active").gauge().value());
    assertNull(registry.find("fhirguard.cluster.fallbacks").meter(), "no cluster, no meter");
    guard.upstream("after");
    for (String upstream : List.of("before", "after")) {
      assertNotNull(registry.find("resilience4j.circuitbreaker.state")
          .tags("name", upstream, "state", "closed").gauge(), upstream);
    }
  }

  @Test
  void ten_thousand_distinct_clients_add_no_series() {
    FhirGuard guard = FhirGuard.builder()
        .config(FhirGuardConfig.load(Map.of("fhirguard.auth.enabled", "true",
            "fhirguard.rate-limit.enabled", "true", "fhirguard.rate-limit.capacity", "1")))
        .tokenVerifier(token -> new VerifiedClient(token, null, List.of("system/*.rs"),
            Instant.now().plus(Duration.ofHours(1)), Map.of()))
        .listener(metrics).build();
    metrics.bindTo(guard);
    try (TestServer server = TestServer.start(guard)) {
      for (int i = 0; i < 10; i++) {
        assertEquals(200, server.get("/plain/ok", "Authorization", "Bearer c" + i).statusCode());
      }
      Set<Meter.Id> after10 = ids();
      for (int i = 10; i < 10_000; i++) {
        assertEquals(200, server.get("/plain/ok", "Authorization", "Bearer c" + i).statusCode());
      }
      assertEquals(after10, ids());
      assertEquals(10_000, count("fhirguard.rate.limit.decisions", "result", "allowed",
          "limit", "client", "store", "local"));
      Set<String> tagValues = registry.getMeters().stream()
          .flatMap(meter -> meter.getId().getTags().stream()).map(Tag::getValue)
          .collect(Collectors.toSet());
      assertFalse(tagValues.stream().anyMatch(value -> value.matches("c\\d+")), tagValues::toString);
    }
  }

  private Set<Meter.Id> ids() {
    return registry.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
  }

  @Test
  void a_throwing_listener_and_a_slow_one_change_no_answer() {
    GuardListener throwing = new GuardListener() {
      @Override
      public void onRateLimit(RateLimitDecision decision) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onMaintenance(boolean on) {
        throw new IllegalStateException("listener bug");
      }
    };
    GuardListener slow = new GuardListener() {
      @Override
      public void onRateLimit(RateLimitDecision decision) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    FhirGuard guard = FhirGuard.builder().config(FhirGuardConfig.load(Map.of(
            "fhirguard.rate-limit.enabled", "true", "fhirguard.rate-limit.capacity", "1")))
        .listener(throwing).listener(slow).listener(metrics).build();
    try (LogCapture log = new LogCapture();
        TestServer server = TestServer.start(guard)) {
      HttpResponse<String> first = server.get("/plain/ok");
      assertEquals(200, first.statusCode(), first::body);
      HttpResponse<String> second = server.get("/plain/ok");
      assertEquals(429, second.statusCode(), second::body);
      assertTrue(second.body().contains("RATE_LIMITED"), second::body);
      guard.maintenance(true);
      assertEquals(503, server.get("/plain/ok").statusCode());
      assertEquals(1, count("fhirguard.rate.limit.decisions", "result", "refused",
          "limit", "anonymous", "store", "local"), "the listener after the throwing one ran");
      assertEquals(1, count("fhirguard.maintenance.switches", "state", "on"));
      assertEquals(1, log.lines().stream().filter(line -> line.contains("A fhirguard listener")).count(),
          () -> "one warning a minute: " + log.lines());
    }
  }
}
