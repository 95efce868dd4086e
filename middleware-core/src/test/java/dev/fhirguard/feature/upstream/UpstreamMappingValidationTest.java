package dev.fhirguard.feature.upstream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exception mapping names an upstream failure, so its code is a server error
 * (5xx). A client-error code would show the exception's own text to clients (a 4xx shows its
 * message), and 401/429 would go out without the WWW-Authenticate / Retry-After they require.
 */
class UpstreamMappingValidationTest {

  /** An EHR client's exception whose message names a node. */
  static final class EhrRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @ParameterizedTest
  @ValueSource(strings = {"CONFLICT", "RESOURCE_NOT_FOUND", "TOO_MANY_REQUESTS", "TOKEN_EXPIRED"})
  void a_mapping_property_to_a_client_error_code_stops_start_up(String code) {
    FhirGuardConfigException e = assertThrows(FhirGuardConfigException.class,
        () -> FhirGuardConfig.load(Map.of("fhirguard.upstream.exception-mappings",
            "com.acme.EhrRefusedException=" + code)));
    assertTrue(e.getMessage().contains("fhirguard.upstream.exception-mappings"), e.getMessage());
  }

  @Test
  void a_mapping_in_code_to_a_client_error_code_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> FhirGuard.builder()
        .upstreamFailure(EhrRefusedException.class, ErrorCode.CONFLICT));
  }

  @Test
  void mappings_to_server_error_codes_are_still_accepted() {
    FhirGuardConfig.load(Map.of("fhirguard.upstream.exception-mappings",
        "com.acme.A=UPSTREAM_UNREACHABLE, com.acme.B=INTERNAL_ERROR, com.acme.C=UPSTREAM_TIMEOUT"));
    FhirGuard.builder().upstreamFailure(EhrRefusedException.class, ErrorCode.UPSTREAM_UNAVAILABLE);
  }
}
