package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RFC 6750 b64token shape check, character by character. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BearerHeaderTest {

  private static final String TOKEN_CHARACTERS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";

  @Test
  void exactly_the_b64token_characters_are_accepted_among_all_of_utf_16() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String token = "ab" + (char) c + "cd";
      assertEquals(TOKEN_CHARACTERS.indexOf(c) >= 0, BearerHeader.isB64Token(token),
          () -> "character U+" + Integer.toHexString(0x10000 | token.charAt(2)).substring(1));
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

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Test
  void exactly_the_base64url_characters_are_canonical_among_all_of_utf_16() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String token = "AA" + (char) c + "A";
      assertEquals(BASE64URL.indexOf(c) >= 0, BearerHeader.isCanonicalBase64Url(token),
          () -> "character U+" + Integer.toHexString(0x10000 | token.charAt(2)).substring(1));
    }
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
