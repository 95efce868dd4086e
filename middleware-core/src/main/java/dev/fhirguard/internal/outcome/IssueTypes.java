package dev.fhirguard.internal.outcome;

import java.util.Map;

/** The R4 IssueType hierarchy: each code's parent. */
final class IssueTypes {

  private static final Map<String, String> PARENT =
      Map.ofEntries(
          Map.entry("structure", "invalid"),
          Map.entry("required", "invalid"),
          Map.entry("value", "invalid"),
          Map.entry("invariant", "invalid"),
          Map.entry("login", "security"),
          Map.entry("unknown", "security"),
          Map.entry("expired", "security"),
          Map.entry("forbidden", "security"),
          Map.entry("suppressed", "security"),
          Map.entry("not-supported", "processing"),
          Map.entry("duplicate", "processing"),
          Map.entry("multiple-matches", "processing"),
          Map.entry("not-found", "processing"),
          Map.entry("deleted", "not-found"),
          Map.entry("too-long", "processing"),
          Map.entry("code-invalid", "processing"),
          Map.entry("extension", "processing"),
          Map.entry("too-costly", "processing"),
          Map.entry("business-rule", "processing"),
          Map.entry("conflict", "processing"),
          Map.entry("lock-error", "transient"),
          Map.entry("no-store", "transient"),
          Map.entry("exception", "transient"),
          Map.entry("timeout", "transient"),
          Map.entry("incomplete", "transient"),
          Map.entry("throttled", "transient"));

  private IssueTypes() {}

  /** Whether {@code code} is {@code ancestor} or one of its descendants. */
  static boolean isWithin(String code, String ancestor) {
    for (String c = code; c != null; c = PARENT.get(c)) {
      if (c.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }
}
