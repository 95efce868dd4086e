package dev.fhirguard.internal.tracking;

import static dev.fhirguard.testing.Ids.assertGenerated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.IsolatedSettings;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transaction-id rules of {@link RequestIds}, without a server. */
class RequestIdsTest {

  private static RequestIds defaults() {
    return new RequestIds(IsolatedSettings.of(Map.of()));
  }

  /** Request ids with one explicit setting on top of the defaults. */
  private static RequestIds with(String key, String value) {
    return new RequestIds(IsolatedSettings.of(Map.of(key, value)));
  }

  // ---- isAcceptable

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "0", "abc-123", "1.2.840.10008", "A-b.C-d", "-", ".",
      "0123456789012345678901234567890123456789012345678901234567890123"})
  void fhir_ids_are_acceptable(String value) {
    assertTrue(RequestIds.isAcceptable(value), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "a_b", "a/b", "a:b", "a+b", "a=b", "a%20b", " abc", "abc ",
      "abc\n", "abc\r", "\nabc", "a\tb", "ab\u00e9", "\u0661\u0662\u0663", "\uff21", "abc\u0000",
      "01234567890123456789012345678901234567890123456789012345678901234"})
  void non_fhir_ids_are_not_acceptable(String value) {
    assertFalse(RequestIds.isAcceptable(value), () -> "accepted: " + value.replace("\n", "\\n"));
  }

  @Test
  void sixty_four_characters_are_the_longest_acceptable_id() {
    assertTrue(RequestIds.isAcceptable("x".repeat(64)));
    assertFalse(RequestIds.isAcceptable("x".repeat(65)));
  }

  // ---- generate

  @Test
  void generated_ids_are_version_four_uuids() {
    for (int i = 0; i < 1000; i++) {
      String id = RequestIds.generate();
      assertGenerated(id);
      UUID uuid = UUID.fromString(id);
      assertEquals(4, uuid.version(), id);
      assertEquals(2, uuid.variant(), id); // IETF variant (10xx)
      assertEquals(id, uuid.toString());
    }
  }

  @Test
  void generated_ids_are_acceptable_themselves() {
    for (int i = 0; i < 1000; i++) {
      String id = RequestIds.generate();
      assertTrue(RequestIds.isAcceptable(id), id);
    }
  }

  @Test
  void generated_ids_do_not_repeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      assertTrue(seen.add(RequestIds.generate()), "repeated id after " + i);
    }
  }

  // ---- identify, default settings

  @Test
  void absent_client_id_gets_a_generated_id_and_no_correlation_id() {
    RequestIdentity identity = defaults().identify(null);
    assertGenerated(identity.requestId());
    assertNull(identity.correlationId());
  }

  @Test
  void absent_client_id_gets_a_fresh_id_each_time() {
    RequestIds ids = defaults();
    assertNotEquals(ids.identify(null).requestId(), ids.identify(null).requestId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc-123", "1.2.3", "-", "Trace.Id-9",
      "0123456789012345678901234567890123456789012345678901234567890123"})
  void acceptable_client_id_becomes_the_transaction_id(String value) {
    RequestIdentity identity = defaults().identify(value);
    assertEquals(value, identity.requestId());
    assertNull(identity.correlationId(), "an accepted id is not echoed as a correlation id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "a_b", "urn:uuid:1234", "{\"json\":1}", "${jndi:ldap://x/y}",
      "01234567890123456789012345678901234567890123456789012345678901234", "~", " padded "})
  void rejected_printable_client_id_is_echoed_as_correlation_id(String value) {
    RequestIdentity identity = defaults().identify(value);
    assertGenerated(identity.requestId());
    assertEquals(value, identity.correlationId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t", "a\tb", "a\rb", "a\nb", "abc\r\nX-Injected: 1",
      "ab\u00e9", "caf\u00e9-id", "\u2028", "a\u0085b", "a\u007fb", "a\u0000b", "\u0001", "\ud83d\ude00"})
  void rejected_client_id_that_is_not_printable_ascii_is_not_echoed(String value) {
    RequestIdentity identity = defaults().identify(value);
    assertGenerated(identity.requestId());
    assertNull(identity.correlationId(), () -> "echoed: " + identity.correlationId());
  }

  @Test
  void correlation_ids_up_to_the_default_limit_of_256_characters_are_echoed() {
    String longest = "x y".repeat(85) + "z"; // 256 printable characters, not a FHIR id
    assertEquals(256, longest.length());
    assertEquals(longest, defaults().identify(longest).correlationId());
    assertNull(defaults().identify(longest + "z").correlationId());
  }

  @Test
  void five_kilobyte_client_id_is_neither_accepted_nor_echoed() {
    String huge = "a".repeat(5 * 1024);
    RequestIdentity identity = defaults().identify(huge);
    assertGenerated(identity.requestId());
    assertNull(identity.correlationId());
  }

  // ---- identify, configured

  @Test
  void max_correlation_id_length_setting_bounds_the_echo() {
    RequestIds ids = with("fhirguard.request-id.max-correlation-id-length", "20");
    String twenty = "with space 123456789";
    assertEquals(20, twenty.length());
    assertEquals(twenty, ids.identify(twenty).correlationId());
    assertNull(ids.identify(twenty + "0").correlationId());
  }

  @Test
  void larger_max_correlation_id_length_echoes_longer_values() {
    RequestIds ids = with("fhirguard.request-id.max-correlation-id-length", "1024");
    String value = "v ".repeat(512);
    assertEquals(value, ids.identify(value).correlationId());
    assertNull(ids.identify(value + "x").correlationId());
  }

  @Test
  void with_accept_client_id_false_a_valid_client_id_gets_a_fresh_id_and_is_echoed() {
    RequestIds ids = with("fhirguard.request-id.accept-client-id", "false");
    RequestIdentity identity = ids.identify("valid-client-id");
    assertGenerated(identity.requestId());
    assertNotEquals("valid-client-id", identity.requestId());
    assertEquals("valid-client-id", identity.correlationId());
  }

  @Test
  void with_accept_client_id_false_absent_client_id_has_no_correlation_id() {
    RequestIds ids = with("fhirguard.request-id.accept-client-id", "false");
    RequestIdentity identity = ids.identify(null);
    assertGenerated(identity.requestId());
    assertNull(identity.correlationId());
  }

  @Test
  void with_accept_client_id_false_unsafe_values_are_still_not_echoed() {
    RequestIds ids = with("fhirguard.request-id.accept-client-id", "false");
    assertNull(ids.identify("a\r\nb").correlationId());
    assertNull(ids.identify("x".repeat(257)).correlationId());
    assertEquals("rejected anyway", ids.identify("rejected anyway").correlationId());
  }

  @Test
  void request_tracking_identifies_with_the_same_rules() {
    RequestTracking tracking = new RequestTracking(IsolatedSettings.of(Map.of()));
    assertEquals("abc", tracking.identify("abc").requestId());
    RequestIdentity rejected = tracking.identify("a b");
    assertGenerated(rejected.requestId());
    assertEquals("a b", rejected.correlationId());
  }
}
