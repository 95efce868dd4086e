package dev.fhirguard.internal.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The headers fhirguard owns on a response: found and replaced in any case, kept in order. */
class OwnHeadersTest {

  private final OwnHeaders headers = new OwnHeaders();

  private Map<String, String> all() {
    Map<String, String> all = new LinkedHashMap<>();
    headers.forEach(all::put);
    return all;
  }

  @Test
  void a_name_is_found_in_any_case_and_a_later_value_replaces_the_earlier_one() {
    headers.put("X-RateLimit-Remaining", "9");
    headers.put("RateLimit", "\"client\";r=9;t=1");
    headers.put("x-ratelimit-remaining", "8");
    assertTrue(headers.contains("X-RATELIMIT-REMAINING"));
    assertTrue(headers.contains("ratelimit"));
    assertFalse(headers.contains("RateLimit-Policy"));
    assertFalse(headers.contains(null));
    assertEquals(Map.of("X-RateLimit-Remaining", "8", "RateLimit", "\"client\";r=9;t=1"), all());
  }

  @Test
  void more_names_than_the_five_rate_limit_headers_are_all_kept_in_the_order_first_set() {
    for (int i = 0; i < 12; i++) {
      headers.put("H" + i, "v" + i);
    }
    headers.put("h3", "again");
    Map<String, String> all = all();
    assertEquals(12, all.size());
    assertEquals("again", all.get("H3"));
    assertEquals("H0", all.keySet().iterator().next());
  }
}
