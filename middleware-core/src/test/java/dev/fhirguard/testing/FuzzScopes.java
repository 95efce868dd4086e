package dev.fhirguard.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of SMART scope strings: well-formed v1 and v2 resource scopes, scopes with one
 * wrong part (context, type, permissions, query), %-escapes and repeated names in the query, and
 * raw junk, joined into a scope claim with ordinary and odd separators.
 */
public final class FuzzScopes {

  private FuzzScopes() {}

  /** One scope: well-formed, one part wrong, near-valid or junk. */
  public static Arbitrary<String> scope() {
    Arbitrary<String> context = mostly(Arbitraries.of("system", "user", "patient"),
        Arbitraries.of("System", "sys", "", "launch", "openid", "system/"), "system");
    Arbitrary<String> type = mostly(Arbitraries.of("Patient", "Observation", "*"),
        Arbitraries.of("patient", "Pat!ent", "Patiënt", "", "**", "P".repeat(65), "Patient.x"),
        "Observation");
    Arbitrary<String> permissions = mostly(
        Arbitraries.of("r", "rs", "cruds", "c", "u", "d", "s", "read", "write", "*"),
        Arbitraries.of("", "x", "sr", "rr", "cruds*", "READ", "rs ", "ṙ"), "cruds");
    // Few names, so that a query often repeats one; some decode to control characters.
    Arbitrary<String> name = mostly(Arbitraries.of("category", "%0d%0a", "%0A"),
        Arbitraries.of("code", "x", "%zz", "%", "%\n", "a b", "", "é"), "category");
    Arbitrary<String> pair = Combinators.combine(name,
            Arbitraries.of("laboratory", "%41", "%zz", "%0a", "", "=", "http://loinc.org|1-8"))
        .as((n, value) -> n + "=" + value);
    Arbitrary<String> query = Arbitraries.oneOf(
        Arbitraries.just(""),
        pair.list().ofMinSize(1).ofMaxSize(3).map(pairs -> "?" + String.join("&", pairs)),
        FuzzStrings.junk().map(junk -> "?" + junk));
    Arbitrary<String> structured = Combinators.combine(context, type, permissions, query)
        .as((c, t, p, q) -> c + "/" + t + "." + p + q);
    // Well-formed up to the query, whose names repeat and decode to odd characters: the deepest
    // branches of the parser.
    Arbitrary<String> constrained = Combinators.combine(
            Arbitraries.of("system", "user", "patient"), Arbitraries.of("Observation", "*"),
            Arbitraries.of("s", "rs"),
            Arbitraries.of("category", "%0d%0a", "%0A", "%\n").list().ofMinSize(2).ofMaxSize(3))
        .as((c, t, p, names) -> c + "/" + t + "." + p + "?"
            + String.join("=laboratory&", names) + "=laboratory");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, structured),
        net.jqwik.api.Tuple.of(2, constrained),
        net.jqwik.api.Tuple.of(2, structured.flatMap(FuzzStrings::nearly)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("openid", "launch/patient", "offline_access",
            "fhirUser")),
        net.jqwik.api.Tuple.of(2, FuzzStrings.junk()));
  }

  /** Mostly {@code valid}, sometimes {@code odd}, sometimes {@code near} with one bad character. */
  private static Arbitrary<String> mostly(Arbitrary<String> valid, Arbitrary<String> odd,
      String near) {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, valid),
        net.jqwik.api.Tuple.of(1, odd), net.jqwik.api.Tuple.of(1, FuzzStrings.nearly(near)));
  }

  /** A scope claim: a few scopes joined by a space or an odd separator. */
  public static Arbitrary<String> claim() {
    return Combinators.combine(scope().list().ofMinSize(0).ofMaxSize(5),
            Arbitraries.of(" ", " ", " ", "  ", "\t", ",", "\n", "+"))
        .as((scopes, separator) -> String.join(separator, scopes));
  }
}
