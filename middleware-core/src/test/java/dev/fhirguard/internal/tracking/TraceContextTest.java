package dev.fhirguard.internal.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code traceparent} read as the W3C Trace Context spec and its test suite say. */
class TraceContextTest {

  /** The trace id of the W3C test suite's headers. */
  static final String TRACE_ID = "12345678901234567890123456789012";
  static final String PARENT_ID = "1234567890123456";
  static final String VALID = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

  @Test
  void a_valid_version_00_header_gives_its_trace_id_parent_id_and_flags() {
    TraceContext trace = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertEquals(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01"),
        trace);
    assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", trace.header());
  }

  @ParameterizedTest
  @ValueSource(strings = {"00", "01", "09", "ff"})
  void any_lower_case_hex_flags_are_kept_for_version_00(String flags) {
    assertEquals(flags, TraceContext.parse("00-" + TRACE_ID + "-" + PARENT_ID + "-" + flags).flags());
  }

  @ParameterizedTest
  @ValueSource(strings = {" " + VALID, "\t" + VALID, VALID + " ", VALID + "\t", "\t " + VALID + " \t"})
  void optional_whitespace_around_the_header_is_allowed(String header) {
    assertEquals(TRACE_ID, TraceContext.parse(header).traceId());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cc-" + TRACE_ID + "-" + PARENT_ID + "-01",
      "cc-" + TRACE_ID + "-" + PARENT_ID + "-01-what-the-future-will-be-like"})
  void a_later_version_is_read_as_version_00_when_it_starts_like_one(String header) {
    TraceContext trace = TraceContext.parse(header);
    assertNotNull(trace, header);
    assertEquals(TRACE_ID, trace.traceId());
    assertEquals(PARENT_ID, trace.parentId());
    assertEquals(VALID, trace.header(), "forwarded as version 00");
  }

  @Test
  void a_later_version_keeps_only_the_sampled_flag() {
    assertEquals("01", TraceContext.parse("cc-" + TRACE_ID + "-" + PARENT_ID + "-ff").flags());
    assertEquals("00", TraceContext.parse("cc-" + TRACE_ID + "-" + PARENT_ID + "-fe").flags());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // extra trailing characters on version 00 (too long, extra fields)
      VALID + ".",
      VALID + "-what-the-future-will-be-like",
      VALID + "-",
      // a later version must go on with '-'
      "cc-" + TRACE_ID + "-" + PARENT_ID + "-01.what-the-future-will-be-like",
      // version ff, illegal characters, too long, too short
      "ff-" + TRACE_ID + "-" + PARENT_ID + "-01",
      ".0-" + TRACE_ID + "-" + PARENT_ID + "-01",
      "0.-" + TRACE_ID + "-" + PARENT_ID + "-01",
      "000-" + TRACE_ID + "-" + PARENT_ID + "-01",
      "0000-" + TRACE_ID + "-" + PARENT_ID + "-01",
      "0-" + TRACE_ID + "-" + PARENT_ID + "-01",
      // trace id: all zero, illegal characters, too long, too short
      "00-00000000000000000000000000000000-" + PARENT_ID + "-01",
      "00-.2345678901234567890123456789012-" + PARENT_ID + "-01",
      "00-1234567890123456789012345678901.-" + PARENT_ID + "-01",
      "00-123456789012345678901234567890123-" + PARENT_ID + "-01",
      "00-1234567890123456789012345678901-" + PARENT_ID + "-01",
      // parent id: all zero, illegal characters, too long, too short
      "00-" + TRACE_ID + "-0000000000000000-01",
      "00-" + TRACE_ID + "-.234567890123456-01",
      "00-" + TRACE_ID + "-123456789012345.-01",
      "00-" + TRACE_ID + "-12345678901234567-01",
      "00-" + TRACE_ID + "-123456789012345-01",
      // flags: illegal characters, too long, too short
      "00-" + TRACE_ID + "-" + PARENT_ID + "-.0",
      "00-" + TRACE_ID + "-" + PARENT_ID + "-0.",
      "00-" + TRACE_ID + "-" + PARENT_ID + "-001",
      "00-" + TRACE_ID + "-" + PARENT_ID + "-1",
      // upper case anywhere
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
      "CC-" + TRACE_ID + "-" + PARENT_ID + "-01",
      // wrong separators, inner whitespace, nothing
      "00_" + TRACE_ID + "_" + PARENT_ID + "_01",
      "00- " + TRACE_ID + "-" + PARENT_ID + "-01",
      "00-" + TRACE_ID + "-" + PARENT_ID + "-01\r\n",
      "",
      "   "})
  void an_invalid_header_is_ignored(String header) {
    assertNull(TraceContext.parse(header), header);
  }

  @Test
  void no_header_is_no_trace() {
    assertNull(TraceContext.parse(null));
  }

  @Test
  void a_started_trace_is_valid_sampled_and_new_each_time() {
    Set<String> traceIds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      TraceContext started = TraceContext.start();
      assertEquals(started, TraceContext.parse(started.header()), started::header);
      assertEquals("01", started.flags());
      assertTrue(traceIds.add(started.traceId()), started::traceId);
    }
    assertNotEquals(TraceContext.start().parentId(), TraceContext.start().parentId());
  }
}
