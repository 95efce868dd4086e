package dev.fhirguard.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void printable_ascii_within_the_bound_is_returned_as_it_is_without_a_copy() {
    String path = "/fhir/Patient/1?_format=json";

    assertSame(path, LogSafe.clean(path, 200));
  }

  @Test
  void line_breaks_control_and_non_ascii_characters_become_underscores() {
    assertEquals("GET /x__FAKE 200_ok_", LogSafe.clean("GET /x\r\nFAKE 200\tok\u00e9", 200));
  }

  @Test
  void text_over_the_bound_is_cut_with_an_ellipsis_even_when_printable() {
    assertEquals("abc...", LogSafe.clean("abcdef", 3));
  }

  @Test
  void null_stays_null() {
    assertNull(LogSafe.clean(null, 10));
  }
}
