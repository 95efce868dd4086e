package dev.fhirguard.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile text: raw junk (control characters, CR/LF with a forged header,
 * non-ASCII, %-escapes, very long values) and near-valid values (a valid value with one character
 * replaced, inserted or removed). A forged header is always named {@link #INJECTED_HEADER}, so a
 * response that grew one betrays a header injection.
 */
public final class FuzzStrings {

  /** The header a CR/LF injection in generated text would add to a response. */
  public static final String INJECTED_HEADER = "X-Fuzz-Injected";

  private static final List<String> INJECTIONS = List.of(
      "\r\n" + INJECTED_HEADER + ": 1", "\n" + INJECTED_HEADER + ": 1", "\r", "\n", "\r\n\r\n",
      "%0d%0a" + INJECTED_HEADER + ":%201", "%0D%0A", "%00", "\u0000", "\u0085", "\u2028",
      "\u001b[31m", "\t", "\u007f");

  private static final List<String> ODD = List.of(
      "é", "ü", "中文", "😀", "\uFFFD", "\u00A0", "\uFEFF", "\uD800", "%", "%zz", "%2", "%25",
      "%C3%A9", "%ff", "\"", "'", "<", ">", "&", ";", ",", "=", "\\", "/", "?", "#", " ", "+",
      "..", "*", "${jndi:x}");

  private FuzzStrings() {}

  /** Any mix of the hostile pieces above and printable ASCII, up to about 200 characters. */
  public static Arbitrary<String> junk() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(12)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(INJECTIONS)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(ODD)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(6)));
    return piece.list().ofMinSize(0).ofMaxSize(16).map(parts -> String.join("", parts));
  }

  /** {@code valid} with one character replaced, inserted or removed, or a hostile piece added. */
  public static Arbitrary<String> nearly(String valid) {
    Arbitrary<Character> bad = Arbitraries.oneOf(
        Arbitraries.chars().range('\u0000', '\u001f'),
        Arbitraries.chars().ascii(),
        Arbitraries.of('\u007f', '\u00e9', '\u4e2d', '\u2028', '\uFFFD', '%', ' ', '"', ','));
    Arbitrary<Integer> at = Arbitraries.integers().between(0, valid.length());
    Arbitrary<String> edited = Combinators.combine(at, bad, Arbitraries.integers().between(0, 2))
        .as((index, c, how) -> switch (how) {
          case 0 -> valid.substring(0, index) + c + valid.substring(index);
          case 1 -> index == valid.length() ? valid + c
              : valid.substring(0, index) + c + valid.substring(index + 1);
          default -> index == valid.length() ? valid
              : valid.substring(0, index) + valid.substring(index + 1);
        });
    Arbitrary<String> appended = Combinators.combine(Arbitraries.of(INJECTIONS), at)
        .as((piece, index) -> valid.substring(0, index) + piece + valid.substring(index));
    return Arbitraries.oneOf(edited, appended);
  }

  /**
   * Text of about {@code limit} characters: from a little under to a little over it, of a
   * character {@code valid} allows and sometimes one it does not at the end.
   */
  public static Arbitrary<String> aroundLength(int limit, char valid) {
    return Combinators.combine(
            Arbitraries.integers().between(Math.max(1, limit - 3), limit + 3),
            Arbitraries.of("", "", "!", "\u00e9", "%0a"))
        .as((length, tail) -> String.valueOf(valid).repeat(length) + tail);
  }
}
