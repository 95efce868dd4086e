package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.FuzzInvariants;
import dev.fhirguard.testing.FuzzScopes;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Fuzzes the SMART scope parser: any text is either not a resource scope ({@code null}), a
 * resource scope whose parts are all valid, or an {@link IllegalArgumentException}; nothing else
 * escapes, and well-formed scopes parse to exactly their parts.
 */
@Tag("fuzz")
class SmartScopeFuzzTest {

  private static final List<String> CONTEXTS = List.of("patient", "user", "system");

  @Property
  void any_text_is_a_valid_scope_not_a_scope_or_an_illegal_argument(
      @ForAll("scopes") String text) {
    SmartScope scope;
    try {
      scope = SmartScope.parse(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    if (scope == null) {
      return;
    }
    String where = " for " + FuzzInvariants.escape(text);
    assertTrue(CONTEXTS.contains(scope.context()), () -> "context" + where);
    assertTrue(scope.resourceType().equals("*") || SmartScope.isResourceType(scope.resourceType()),
        () -> "type" + where);
    assertTrue(scope.permissions() > 0 && scope.permissions() < 32, () -> "permissions" + where);
    scope.constraint().forEach((name, value) -> assertTrue(!name.isEmpty() && !value.isEmpty(),
        () -> "constraint" + where));
  }

  @Property
  void well_formed_scopes_parse_to_their_parts(@ForAll("contexts") String context,
      @ForAll("types") String type, @ForAll("letters") String letters,
      @ForAll("categories") String category) {
    String text = context + "/" + type + "." + letters
        + (category.isEmpty() ? "" : "?category=" + category);
    SmartScope scope = SmartScope.parse(text);
    assertEquals(context, scope.context());
    assertEquals(type, scope.resourceType());
    assertEquals(Permission.ofV2(letters), scope.permissions());
    assertEquals(category.isEmpty() ? Map.of() : Map.of("category", category), scope.constraint());
    assertNotEquals(0, scope.permissions());
  }

  @Example
  void a_bad_percent_escape_in_the_query_is_an_illegal_argument() {
    try {
      SmartScope.parse("system/Observation.s?category=%zz");
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError("accepted a bad escape");
  }

  @Provide
  Arbitrary<String> scopes() {
    return FuzzScopes.scope();
  }

  @Provide
  Arbitrary<String> contexts() {
    return Arbitraries.of(CONTEXTS);
  }

  @Provide
  Arbitrary<String> types() {
    return Arbitraries.oneOf(Arbitraries.of("*", "Patient", "Observation"),
        Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(20).map(s -> "X" + s));
  }

  @Provide
  Arbitrary<String> letters() {
    return Arbitraries.of("c", "r", "u", "d", "s").set().ofMinSize(1)
        .map(set -> "cruds".chars().filter(c -> set.contains(String.valueOf((char) c)))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString());
  }

  @Provide
  Arbitrary<String> categories() {
    return Arbitraries.oneOf(Arbitraries.just(""),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20));
  }
}
