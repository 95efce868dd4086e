package dev.fhirguard.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.testing.IsolatedSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {

  private static List<String> problems(Map<String, String> settings) {
    return assertThrows(FhirGuardConfigException.class, () -> IsolatedSettings.of(settings))
        .problems();
  }

  @Test
  void per_upstream_values_override_the_defaults_only_for_that_upstream() {
    ResolvedSettings settings = IsolatedSettings.of(Map.of(
        "fhirguard.upstreams.ehr.display-name", "patient record service",
        "fhirguard.upstreams.ehr.wait-duration-in-open-state", "200ms"));

    assertEquals("patient record service",
        settings.named(UpstreamSettings.DISPLAY_NAME).get("ehr"));
    assertEquals(Duration.ofMillis(200),
        settings.named(UpstreamSettings.EACH_WAIT_IN_OPEN_STATE).get("ehr"));
    assertEquals(Duration.ofSeconds(30), settings.get(UpstreamSettings.WAIT_IN_OPEN_STATE));
  }

  @Test
  void an_upstream_configured_without_a_display_name_is_reported() {
    assertEquals(List.of("fhirguard.upstreams.ehr.display-name is not set: every upstream"
            + " configured under fhirguard.upstreams.ehr.* needs the name clients see"),
        problems(Map.of("fhirguard.upstreams.ehr.failure-rate-threshold", "30")));
  }

  @Test
  void a_minimum_number_of_calls_larger_than_the_window_is_reported_for_the_defaults_and_each_upstream() {
    List<String> problems = problems(Map.of(
        "fhirguard.upstream.minimum-number-of-calls", "30",
        "fhirguard.upstreams.ehr.display-name", "EHR",
        "fhirguard.upstreams.ehr.sliding-window-size", "40",
        "fhirguard.upstreams.lab.display-name", "lab",
        "fhirguard.upstreams.lab.minimum-number-of-calls", "5"));

    assertEquals(1, problems.size(), problems.toString());
    assertEquals("fhirguard.upstream.minimum-number-of-calls = 30: expected at most"
        + " fhirguard.upstream.sliding-window-size (20), or the circuit could never open",
        problems.get(0));
  }

  @Test
  void a_mapping_must_name_a_class_and_a_catalog_code() {
    List<String> problems = problems(Map.of(
        "fhirguard.upstream.exception-mappings", "com.acme.Down=NO_SUCH_CODE"));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("fhirguard.upstream.exception-mappings ="),
        problems.get(0));
    assertTrue(problems.get(0).endsWith("expected class=CODE pairs such as"
        + " com.acme.EhrDownException=UPSTREAM_UNREACHABLE, with a server-error (5xx) catalog code from"
        + " docs/errors.md"), problems.get(0));
  }

  @Test
  void mapping_codes_are_read_in_any_case() {
    ResolvedSettings settings = IsolatedSettings.of(Map.of(
        "fhirguard.upstream.exception-mappings", "com.acme.Down=upstream_timeout"));

    assertEquals(List.of("com.acme.Down=UPSTREAM_TIMEOUT"),
        settings.get(UpstreamSettings.EXCEPTION_MAPPINGS));
  }

  @Test
  void a_display_name_that_could_carry_a_host_and_port_is_refused() {
    List<String> problems = problems(Map.of("fhirguard.upstreams.ehr.display-name", "db:5432"));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("fhirguard.upstreams.ehr.display-name = 'db:5432'"),
        problems.get(0));
  }

  @Test
  void a_mistyped_upstream_key_is_unknown() {
    List<String> problems =
        problems(Map.of("fhirguard.upstreams.ehr.failure-rate", "30"));

    assertTrue(problems.get(0).contains("unknown fhirguard setting"), problems.get(0));
  }
}
