package dev.fhirguard.feature.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.EhrExceptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An error the container raises outside the filter chain ({@link FhirGuard#answer}, what the
 * Jetty error handlers call) is classified with the guard's configured exception mappings, as an
 * error inside the chain is.
 */
class ContainerErrorMappingTest {

  private static ContainerAnswer answer(FhirGuard guard, Throwable cause) {
    return guard.answer(new ContainerError(false, "GET", "/fhir/Patient/1", null,
        name -> null, name -> null, 500, null, cause, name -> null));
  }

  @Test
  void a_mapping_from_properties_applies_to_a_container_error() {
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(Map.of(
        "fhirguard.upstream.exception-mappings",
        EhrExceptions.EhrDownException.class.getName() + "=upstream_unreachable")));

    ContainerAnswer answer = answer(guard, new EhrExceptions.EhrDownException());

    assertEquals(502, answer.status());
    String body = new String(answer.body(), StandardCharsets.UTF_8);
    assertFalse(body.contains("ehr-node-3"), body);
    assertTrue(body.contains("UPSTREAM_UNREACHABLE"), body);
  }

  @Test
  void a_mapping_made_in_code_applies_to_a_container_error() {
    FhirGuard guard = FhirGuard.builder()
        .config(FhirGuardConfig.load(Map.of()))
        .upstreamFailure(EhrExceptions.EhrActionMissingException.class,
            ErrorCode.UPSTREAM_NOT_SUPPORTED)
        .build();

    ContainerAnswer answer = answer(guard, new EhrExceptions.EhrActionMissingException());

    assertEquals(501, answer.status());
  }

  @Test
  void an_unmapped_exception_stays_a_500() {
    assertEquals(500, answer(FhirGuard.create(FhirGuardConfig.load(Map.of())),
        new IllegalStateException("boom")).status());
  }
}
