package dev.fhirguard.feature.limit;

import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.GuardServer;
import dev.fhirguard.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitSmokeTest {

  @Test
  void theFourthRequestOfThreeIsRefusedAndAdmittedAfterTheAdvertisedWait() {
    MutableClock clock = MutableClock.atNow();
    FhirGuard guard = withClock(FhirGuard.builder(), clock).config(FhirGuardConfig.load(Map.of(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3",
        "fhirguard.rate-limit.period", "1m"))).build();
    try (GuardServer server = GuardServer.start(guard)) {
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
}
