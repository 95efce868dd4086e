package dev.fhirguard.demo.auth;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART resource scope such as {@code system/Patient.rs} (v2) or {@code system/*.read} (v1),
 * reduced to what it permits, so that a registered scope can cover a narrower requested one.
 */
record SmartScope(String context, String resourceType, String permissions, String query) {

  /** A character of an RFC 6749 scope-token: printable ASCII but space, '"' and '\'. */
  private static final String TOKEN_CHARACTER = "[\\x21\\x23-\\x5B\\x5D-\\x7E]";
  private static final Pattern SYNTAX =
      Pattern.compile("(system|user|patient)/(\\*|[A-Z][A-Za-z]*)\\.(read|write|\\*|[cruds]+)"
          + "(\\?" + TOKEN_CHARACTER + "+)?");
  private static final String ALL = "cruds";

  /** The scope {@code text} names, or empty when it is not a SMART resource scope. */
  static Optional<SmartScope> parse(String text) {
    Matcher matcher = SYNTAX.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return permissionsOf(matcher.group(3))
        .map(permissions -> new SmartScope(
            matcher.group(1), matcher.group(2), permissions, matcher.group(4)));
  }

  /** Whether everything {@code narrower} permits is also permitted by this scope. */
  boolean covers(SmartScope narrower) {
    return context.equals(narrower.context)
        && ("*".equals(resourceType) || resourceType.equals(narrower.resourceType))
        && narrower.permissions.chars().allMatch(p -> permissions.indexOf(p) >= 0)
        && (query == null || query.equals(narrower.query));
  }

  /** v1 names mapped to v2 letters; v2 letters must appear once each, in c-r-u-d-s order. */
  private static Optional<String> permissionsOf(String text) {
    switch (text) {
      case "read":
        return Optional.of("rs");
      case "write":
        return Optional.of("cud");
      case "*":
        return Optional.of(ALL);
      default:
        return isOrderedSubsequenceOfAll(text) ? Optional.of(text) : Optional.empty();
    }
  }

  private static boolean isOrderedSubsequenceOfAll(String letters) {
    int from = 0;
    for (char letter : letters.toCharArray()) {
      int at = ALL.indexOf(letter, from);
      if (at < 0) {
        return false;
      }
      from = at + 1;
    }
    return true;
  }
}
