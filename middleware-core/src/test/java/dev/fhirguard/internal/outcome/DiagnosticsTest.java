package dev.fhirguard.internal.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.PlainServlet;
import dev.fhirguard.testing.TestFhirServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DiagnosticsTest {

  private final Diagnostics diagnostics = new Diagnostics(300);

  // ---- folding

  @Test
  void white_space_runs_and_line_breaks_fold_into_single_spaces_and_the_ends_are_trimmed() {
    assertEquals("Patient.birthDate must not be in the future",
        diagnostics.clientText("  Patient.birthDate \n\t must   not\r\nbe in the future  "));
  }

  @Test
  void unicode_space_characters_fold_and_trim_like_ascii_white_space() {
    // No-break space, figure space, narrow no-break space, ideographic space.
    assertEquals("Patient.birthDate must not be in the future",
        diagnostics.clientText("\u00a0Patient.birthDate\u00a0must\u2007not be\u202fin the"
            + "\u3000future\u00a0"));
  }

  @Test
  void control_characters_never_reach_the_client() {
    String shown = diagnostics.clientText("bad\u0000value\u0007here\u001b[31m red\u007f\u0085end");
    assertTrue(shown.chars().noneMatch(Character::isISOControl), shown);
    assertFalse(shown.contains("  "), shown);
    assertTrue(shown.startsWith("bad") && shown.endsWith("end"), shown);
  }

  @Test
  void a_forged_log_line_stays_on_one_line() {
    String shown = diagnostics.clientText("Unknown code\r\n2024-01-01 ERROR admin logged in");
    assertEquals("Unknown code 2024-01-01 ERROR admin logged in", shown);
  }

  @Test
  void invisible_format_characters_are_removed() {
    // Zero-width space, right-to-left override, byte order mark.
    assertEquals("Patient name", diagnostics.clientText("Pat\u200Bient\u202E name\uFEFF"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\n\t\r", "\u0000\u0001", "\u200B"})
  void an_empty_message_gives_no_text(String message) {
    assertNull(diagnostics.clientText(message));
  }

  // ---- bounding

  @ParameterizedTest(name = "{0} characters, bound {1}")
  @CsvSource({"40, 40", "41, 40", "1000, 40", "300, 300", "301, 300", "5000, 300", "20000, 4000"})
  void a_message_longer_than_the_bound_is_cut_with_an_ellipsis(int length, int bound) {
    String message = "abcd efgh ".repeat(length / 10 + 1).substring(0, length);
    String shown = new Diagnostics(bound).clientText(message);
    assertTrue(shown.length() <= bound, () -> shown.length() + " > " + bound);
    if (message.strip().length() <= bound) {
      assertEquals(message.strip(), shown);
    } else {
      assertTrue(shown.endsWith("..."), shown);
      assertTrue(message.startsWith(shown.substring(0, shown.length() - 3)), shown);
      assertTrue(shown.length() >= bound - 4, () -> "cut far too short: " + shown.length());
    }
  }

  @Test
  void cutting_never_splits_a_character_outside_the_basic_plane() {
    // 36 letters and an emoji (a surrogate pair at index 36-37): a bound of 40 cuts at 37.
    String message = "x".repeat(36) + "\uD83D\uDE00" + " and more text after it";
    String shown = new Diagnostics(40).clientText(message);
    assertTrue(shown.length() <= 40);
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(i + 1 < shown.length() && Character.isLowSurrogate(shown.charAt(i + 1)),
            "lone high surrogate at " + i + " in " + escape(shown));
      } else {
        assertFalse(Character.isLowSurrogate(c), "lone low surrogate at " + i);
      }
    }
  }

  // ---- internals

  static Stream<String> internals() {
    return Stream.of(
        TestFhirServer.SQL_TEXT,
        PlainServlet.SECRET_SQL,
        "java.sql.SQLException at org.example.Dao.load(Dao.java:42)",
        "failed at com.acme.PatientDao.save(PatientDao.java:12)",
        "\tat org.hibernate.internal.SessionImpl.flush(SessionImpl.java:1)",
        "NullPointerException",
        "IllegalArgumentException: id must not be blank",
        "java.lang.OutOfMemoryError: Java heap space",
        "StackOverflowError",
        "org.hibernate.exception.ConstraintViolationException: could not execute statement",
        "com.fasterxml.jackson.core.JsonParseException: Unexpected character",
        "SQLSTATE[23505]: Unique violation",
        "ORA-00001: unique constraint (FHIR.PK) violated",
        "Cannot open jdbc:postgresql://db:5432/fhir",
        "select * from hfj_resource where res_id = 3",
        "delete from hfj_resource where res_id = 3",
        "update hfj_resource set res_ver = 2 where res_id = 3",
        "insert into patient values (1)",
        "duplicate key value violates unique constraint \"pk_patient\"",
        "foreign key violation on table x",
        "Could not write C:\\app\\logs\\server.log",
        // a reference or an id next to the internals does not hide them
        "Patient/1 failed: select * from hfj_resource where res_id = 3",
        "Patient/1 failed at org.example.Dao.load(Dao.java:42)",
        "could not execute SQL.",
        "SQL error on Patient/1",
        "Hibernate: insert into patient values (1)",
        "Server/10.0.0.5 refused the connection",
        "Observation/7 lives on db.internal:5432");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("internals")
  void a_message_that_shows_internals_is_withheld(String message) {
    assertTrue(Diagnostics.looksInternal(message), message);
    assertNull(diagnostics.clientText(message));
    assertNull(diagnostics.clientText("Request failed:\n  " + message + "\n  more"),
        "also inside a longer text");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "Patient.birthDate must not be in the future",
      "Error: unauthorized",
      "Errors were found in the request",
      "Version conflict on Patient/1",
      "Access denied by rule: Deny all",
      "Missing or invalid credentials",
      "Quota exhausted for this key",
      "HAPI-0971: Resource Patient/999 is not known",
      "HAPI-1882: Invalid date/time format: \"2021-13-45\"",
      "Unknown search parameter \"foo\" for resource type \"Patient\"",
      "Observation.value[x] must be a Quantity",
      "Bundle.entry[0].fullUrl must be an absolute URL",
      "Error at line 3, column 5",
      "Unexpected character ('b' (code 98)): was expecting double-quote to start field name at [line: 1, column: 2]",
      "Patient/123 was updated by someone else; reload it",
      "The value set http://hl7.org/fhir/ValueSet/administrative-gender does not contain 'x'",
      "Select a code from the bound value set",
      "Constraint failed: pat-1: SHALL at least contain a contact's details or a reference to an organization",
      // a word inside an id is the client's, not SQL nor a class name
      "Patient/sql-error is reserved for the error demo",
      "HAPI-0971: Resource Patient/sql-error is not known",
      "Resource Patient/hibernate/_history/2 is not known",
      "Patient/ORA-12345 has been deleted",
      "Observation/jdbc-import-7 has been deleted",
      "Resource Patient/com.acme.p1 is not known",
      "Resource Patient/NullPointerException is not known",
      "Resource body ID of \"1\" does not match URL ID of \"sql-error\"",
      "Unknown code 'sql-injection-test' in Patient.identifier",
      "Patient.identifier value SQL-1 is not unique",
  })
  void an_ordinary_sentence_is_shown_as_is(String message) {
    assertFalse(Diagnostics.looksInternal(message), message);
    assertEquals(message, diagnostics.clientText(message));
  }

  @Test
  void remembered_verdicts_stay_right_for_repeated_texts_and_past_the_number_remembered() {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3_000; i++) {
        String internal = "select * from hfj_resource where res_id = " + i;
        String ordinary = "Resource Patient/" + i + " is not known";
        assertNull(diagnostics.clientText(internal), internal);
        assertEquals(ordinary, diagnostics.clientText(ordinary));
      }
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04X", c)));
    return out.toString();
  }
}
