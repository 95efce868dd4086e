package dev.fhirguard.feature.limit;

import static dev.fhirguard.testing.LimitServer.header;
import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.testing.GuardServer;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogCapture;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Limits an attacker or an outage should not get around: IPv6 addresses counted by their /64, and
 * a failing shared store.
 */
class RateLimitHardeningTest {

  private static final String PATIENT = "/fhir/Patient/1";

  @Test
  void addressesOfOneIpv6Slash64ShareABucketAndTheNextNetworkHasItsOwn() {
    try (LimitServer server = LimitServer.withClients(
        "fhirguard.client-address.trusted-proxies", "127.0.0.1",
        "fhirguard.address-limit.enabled", "true", "fhirguard.address-limit.capacity", "3")) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(200, server.get("valid", PATIENT,
            "X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i)).statusCode());
      }
      assertError(server.get("valid", PATIENT, "X-Forwarded-For", "2001:db8:1:2:ffff::4"),
          429, "ADDRESS_RATE_LIMITED");
      assertEquals(200, server.get("valid", PATIENT,
          "X-Forwarded-For", "2001:db8:1:3::1").statusCode());
    }
  }

  @Test
  void aFailingSharedStoreAdmitsRequestsAndIsLoggedOnceNotPerRequest() {
    AtomicInteger calls = new AtomicInteger();
    RateLimitStore down = (key, policy, cost) -> {
      calls.incrementAndGet();
      throw new IllegalStateException("redis at 10.0.0.7:6379 refused the connection");
    };
    FhirGuard guard = FhirGuard.builder().rateLimitStore(down).config(FhirGuardConfig.load(
        Map.of("fhirguard.rate-limit.enabled", "true"))).build();
    try (GuardServer server = GuardServer.start(guard); LogCapture logs = new LogCapture()) {
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

  @Test
  void aRefusedRequestStillShowsTheStandingOfItsOwnBucket() {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "1")) {
      assertEquals("0", header(server.get(null, "/plain/ok"), "X-RateLimit-Remaining"));
      HttpResponse<String> refused = server.get(null, "/plain/ok");
      assertError(refused, 429, "RATE_LIMITED");
      assertTrue(Long.parseLong(header(refused, "X-RateLimit-Reset")) >= 1);
    }
  }
}
