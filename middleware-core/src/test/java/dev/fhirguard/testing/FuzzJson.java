package dev.fhirguard.testing;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of JSON texts of every type: {@code null}, booleans, numbers (beyond a long
 * and a double too), strings of hostile text, arrays and objects nested a few levels, with the
 * member names of JOSE headers and JWT claims.
 */
public final class FuzzJson {

  /** The names a verifier reads in a JOSE header or a claims set, and a few it does not. */
  public static final List<String> NAMES = List.of("alg", "kid", "typ", "cty", "crit", "jwk",
      "jku", "x5c", "x5u", "x5t", "x5t#S256", "b64", "enc", "zip", "exp", "nbf", "iat", "iss",
      "aud", "sub", "jti", "client_id", "azp", "scope", "scp", "active", "", "x");

  private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-0", "1",
      "-1", "1.5", "-2.5e-7", "1e300", "-1e300", "1e400", "99999999999999999999999",
      "9223372036854775807", "-9223372036854775808", "4102444800", "\"\"", "\"RS256\"",
      "\"none\"", "\"HS256\"", "\"rsa-1\"", "\"JWT\"", "\"system/Patient.rs\"");

  private FuzzJson() {}

  /** A JSON value of any type, nested at most three levels. */
  public static Arbitrary<String> value() {
    return value(3);
  }

  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of(SCALARS),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf).filter(text -> !text.contains("N")
            && !text.contains("I")),
        FuzzStrings.junk().map(FuzzJson::string));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> inner = value(depth - 1);
    Arbitrary<String> array = inner.list().ofMaxSize(3)
        .map(items -> items.stream().collect(Collectors.joining(",", "[", "]")));
    Arbitrary<String> member = Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(NAMES), FuzzStrings.junk()), inner)
        .as((name, value) -> string(name) + ":" + value);
    Arbitrary<String> object = member.list().ofMaxSize(3)
        .map(members -> members.stream().collect(Collectors.joining(",", "{", "}")));
    return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
  }

  /** {@code text} as a JSON string, escaped as RFC 8259 §7 requires. */
  public static String string(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
