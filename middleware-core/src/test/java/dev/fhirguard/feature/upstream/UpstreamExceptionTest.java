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
  void eachUpstreamStatusHasItsCatalogCode() {
    assertEquals(ErrorCode.INTERNAL_ERROR, new UpstreamException("ehr", 500).code());
    assertEquals(ErrorCode.UPSTREAM_NOT_SUPPORTED, new UpstreamException("ehr", 501).code());
    assertEquals(ErrorCode.UPSTREAM_BAD_RESPONSE, new UpstreamException("ehr", 502).code());
    assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, new UpstreamException("ehr", 503).code());
    assertEquals(ErrorCode.UPSTREAM_TIMEOUT, new UpstreamException("ehr", 504).code());
  }

  @Test
  void aStatusOutsideTheUpstreamRangeIsRefusedWithAPlainMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new UpstreamException("ehr", 404));
    assertEquals("an upstream failure is answered with 500 to 504, not 404", e.getMessage());
  }

  @Test
  void aRetryAfterAlreadyPastCountsAsZeroInsteadOfFailingTheRequest() {
    UpstreamException e = new UpstreamException("ehr", 503, Duration.ofSeconds(-5), null);
    assertEquals(Duration.ZERO, e.retryAfter().orElseThrow());
  }

  @Test
  void theRetryAfterAndTheNameAreKeptForTheLog() {
    UpstreamException e = new UpstreamException("ehr", 503, Duration.ofSeconds(7), null);
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    assertEquals("ehr", e.upstream());
    assertTrue(e.getMessage().contains("upstream ehr failed: UPSTREAM_UNAVAILABLE"), e.getMessage());
  }

  @Test
  void anUpstreamNameThatCouldNotBeAConfigurationKeyIsRefused() {
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(java.util.Map.of()));
    assertThrows(IllegalArgumentException.class, () -> guard.upstream("ehr db\n"));
    assertEquals("ehr-1", guard.upstream("ehr-1").name());
  }
}
