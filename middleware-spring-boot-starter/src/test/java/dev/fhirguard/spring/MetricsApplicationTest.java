package dev.fhirguard.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.metrics.FhirGuardMetrics;
import dev.fhirguard.spring.testing.FhirApp;
import dev.fhirguard.spring.testing.Raw;
import dev.fhirguard.spring.testing.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application with Actuator's meter registry: the starter binds {@link FhirGuardMetrics}
 * on its own, and Spring's {@code http.server.requests} records the status fhirguard answered
 * (401, 429, a 500 from an exception, a 503 in maintenance), read from the registry.
 */
class MetricsApplicationTest {

  private static ConfigurableApplicationContext app;
  private static int port;
  private static MeterRegistry registry;

  @BeforeAll
  static void start() {
    app = FhirApp.start();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
    registry = app.getBean(MeterRegistry.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static int status(String target, String... headers) {
    return Raw.send(port, "GET", target, null, headers).status();
  }

  @Test
  void http_server_requests_records_the_status_fhirguard_answered() {
    Map<String, Long> before = serverRequestsByStatus();
    String limited = Tokens.bearer("limited-client", Tokens.ALL_PATIENTS);
    assertEquals(401, status("/fhir/Patient/1"));
    assertEquals(200, status("/fhir/Patient/1", "Authorization", limited));
    assertEquals(429, status("/fhir/Patient/1", "Authorization", limited));
    assertEquals(500, status("/api/boom", "Authorization",
        Tokens.bearer("test-app", Tokens.ALL_PATIENTS)));
    FhirGuard guard = app.getBean(FhirGuard.class);
    guard.maintenance(true);
    try {
      assertEquals(503, status("/fhir/Patient/1"));
    } finally {
      guard.maintenance(false);
    }
    Map<String, Long> expected = new TreeMap<>(before);
    for (String status : new String[] {"401", "200", "429", "500", "503"}) {
      expected.merge(status, 1L, Long::sum);
    }
    awaitEquals(expected, MetricsApplicationTest::serverRequestsByStatus);
  }

  @Test
  void the_guard_s_meters_are_bound_to_the_application_s_registry() {
    assertNotNull(app.getBean(FhirGuardMetrics.class));
    assertNotNull(registry.find("fhirguard.requests.in.flight").gauge());
    assertNotNull(registry.find("fhirguard.maintenance").gauge());
    String limited = Tokens.bearer("limited-client", Tokens.ALL_PATIENTS);
    status("/fhir/Patient/1", "Authorization", limited); // empties its bucket of 1
    double refused = refusedDecisions();
    assertEquals(429, status("/fhir/Patient/1", "Authorization", limited));
    assertEquals(refused + 1, refusedDecisions());
    assertTrue(registry.get("fhirguard.token.verifications").timers().stream()
        .mapToLong(Timer::count).sum() > 0);
  }

  private static double refusedDecisions() {
    var counter = registry.find("fhirguard.rate.limit.decisions")
        .tags("result", "refused", "limit", "client", "store", "local").counter();
    return counter == null ? 0 : counter.count();
  }

  /** The requests {@code http.server.requests} counted, by its status tag. */
  private static Map<String, Long> serverRequestsByStatus() {
    Map<String, Long> counts = new TreeMap<>();
    for (Timer timer : registry.find("http.server.requests").timers()) {
      counts.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
    }
    return counts;
  }

  /** Spring records a request after its answer went out: waits (bounded) for the count. */
  private static void awaitEquals(Map<String, Long> expected, Supplier<Map<String, Long>> actual) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!expected.equals(actual.get()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(expected, actual.get());
  }
}
