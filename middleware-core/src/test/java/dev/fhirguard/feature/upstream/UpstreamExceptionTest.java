package dev.fhirguard.feature.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.UpstreamException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamExceptionTest {

  @Test
  void each_upstream_status_has_its_catalog_code() {
    assertEquals(ErrorCode.INTERNAL_ERROR, new UpstreamException("ehr", 500).code());
    assertEquals(ErrorCode.UPSTREAM_NOT_SUPPORTED, new UpstreamException("ehr", 501).code());
    assertEquals(ErrorCode.UPSTREAM_BAD_RESPONSE, new UpstreamException("ehr", 502).code());
    assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, new UpstreamException("ehr", 503).code());
    assertEquals(ErrorCode.UPSTREAM_TIMEOUT, new UpstreamException("ehr", 504).code());
  }

  @Test
  void a_status_outside_the_upstream_range_is_refused_with_a_plain_message() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new UpstreamException("ehr", 404));
    assertEquals("an upstream failure is answered with 500 to 504, not 404", e.getMessage());
  }

  @Test
  void a_retry_after_already_past_counts_as_zero_instead_of_failing_the_request() {
    UpstreamException e = new UpstreamException("ehr", 503, Duration.ofSeconds(-5), null);
    assertEquals(Duration.ZERO, e.retryAfter().orElseThrow());
  }

  @Test
  void the_retry_after_and_the_name_are_kept_for_the_log() {
    UpstreamException e = new UpstreamException("ehr", 503, Duration.ofSeconds(7), null);
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    assertEquals("ehr", e.upstream());
    assertTrue(e.getMessage().contains("upstream ehr failed: UPSTREAM_UNAVAILABLE"), e.getMessage());
  }

  @Test
  void an_upstream_name_that_could_not_be_a_configuration_key_is_refused() {
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(java.util.Map.of()));
    assertThrows(IllegalArgumentException.class, () -> guard.upstream("ehr db\n"));
    assertEquals("ehr-1", guard.upstream("ehr-1").name());
  }
}
