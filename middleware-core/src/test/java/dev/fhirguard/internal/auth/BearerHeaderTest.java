package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFC 6750 b64token shape check and the canonical base64url check of JWT parts, character by
 * character.
 */
class BearerHeaderTest {

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final String TOKEN_CHARACTERS = BASE64URL + ".~+/";

  @Test
  void exactly_the_b64token_characters_are_accepted_among_all_of_utf_16() {
    assertAcceptsExactly(TOKEN_CHARACTERS, BearerHeader::isB64Token, "ab", "cd");
  }

  @Test
  void exactly_the_base64url_characters_are_canonical_among_all_of_utf_16() {
    assertAcceptsExactly(BASE64URL, BearerHeader::isCanonicalBase64Url, "AA", "A");
  }

  /** {@code check} accepts {@code before + c + after} exactly for the c in {@code alphabet}. */
  private static void assertAcceptsExactly(
      String alphabet, Predicate<String> check, String before, String after) {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char tried = (char) c;
      assertEquals(alphabet.indexOf(c) >= 0, check.test(before + tried + after),
          () -> "character U+" + Integer.toHexString(0x10000 | tried).substring(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "abc=", "abc==", "a.b.c", "~+/-_.", "0"})
  void tokens_of_b64token_characters_with_trailing_padding_are_accepted(String token) {
    assertTrue(BearerHeader.isB64Token(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "=", "==", "a=b", "=abc", "ab c", "é", "a\u0000", "abc\u00ff"})
  void padding_alone_inside_or_first_and_other_characters_are_refused(String token) {
    assertFalse(BearerHeader.isB64Token(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "AA", "QQ", "AAA", "QUE", "AAAA", "QUFB", "a-_w", "..", "AA.QUE.",
      "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "bnVsbA.e30.AAAA"})
  void unpadded_parts_whose_unused_bits_are_zero_are_canonical(String token) {
    assertTrue(BearerHeader.isCanonicalBase64Url(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "AAAAA", "AB", "QR", "Qf", "AAB", "QUF", "QU_", "AA==", "AAA=",
      "QQ==", "a+b/", "a~bc", "e30=.e30.e30", "e30.e30=.e30", "e30.e30.c2ln=", "e30.e30.c2l",
      "AA.A.AA", "é", "AA A"})
  void padding_standard_base64_a_lone_character_or_set_unused_bits_are_not_canonical(
      String token) {
    assertFalse(BearerHeader.isCanonicalBase64Url(token));
  }
}
