package dev.fhirguard.internal.config;

import java.util.List;

/**
 * Which paths need a token: a path matches a pattern when it equals it, or when the pattern ends
 * in {@code /*} and the path is that prefix or below it. Paths are inside the servlet context,
 * without the query string.
 */
public final class PathRules {

  private final List<String> protectedPatterns;
  private final List<String> publicPatterns;

  public PathRules(List<String> protectedPatterns, List<String> publicPatterns) {
    this.protectedPatterns = List.copyOf(protectedPatterns);
    this.publicPatterns = List.copyOf(publicPatterns);
  }

  /** Whether {@code path} needs a token. */
  public boolean isProtected(String path) {
    return isProtected(path, true);
  }

  /**
   * Whether {@code path} needs a token for a handler that may ({@code publicHandler}) or may not
   * be served on a public path: a handler that may not needs a token on every protected path.
   */
  public boolean isProtected(String path, boolean publicHandler) {
    return matchesAny(protectedPatterns, path)
        && !(publicHandler && matchesAny(publicPatterns, path));
  }

  /** The part of {@code path} below the first matching prefix pattern, or {@code null}. */
  public static String below(List<String> prefixes, String path) {
    for (String pattern : prefixes) {
      String prefix = pattern.substring(0, pattern.length() - 2);
      if (path.equals(prefix)) {
        return "";
      }
      if (path.startsWith(prefix + "/")) {
        return path.substring(prefix.length() + 1);
      }
    }
    return null;
  }

  public static boolean matchesAny(List<String> patterns, String path) {
    for (String pattern : patterns) {
      if (matches(pattern, path)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String pattern, String path) {
    if (!pattern.endsWith("/*")) {
      return pattern.equals(path);
    }
    String prefix = pattern.substring(0, pattern.length() - 2);
    return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /** Checks a path pattern from the configuration. */
  public static String checkPattern(String value) {
    int star = value.indexOf('*');
    if (!value.startsWith("/") || star >= 0 && (star != value.length() - 1 || !value.endsWith("/*"))) {
      throw new IllegalArgumentException(
          "expected paths starting with '/', exact (/fhir/metadata) or a prefix ending in /*"
              + " (/fhir/*)");
    }
    return value;
  }

  /** Checks a prefix pattern (ending in {@code /*}) from the configuration. */
  public static String checkPrefix(String value) {
    if (!checkPattern(value).endsWith("/*")) {
      throw new IllegalArgumentException("expected prefixes ending in /* such as /plain-fhir/*");
    }
    return value;
  }
}
