package dev.fhirguard.demo.backend;

import java.util.Locale;

/** How the demo backend behaves; switched at run time through {@code POST /admin/backend}. */
public enum BackendMode {
  /** Answers normally. */
  UP,
  /** Its port is closed: connections are refused (502 UPSTREAM_UNREACHABLE). */
  DOWN,
  /** Answers after longer than the client timeout (504 UPSTREAM_TIMEOUT). */
  SLOW,
  /** Answers 503 with {@code Retry-After: 120} (503 UPSTREAM_UNAVAILABLE). */
  UNAVAILABLE,
  /** Answers 501: no implementation for the action (501 UPSTREAM_NOT_SUPPORTED). */
  NOT_SUPPORTED,
  /** Answers 500 with internal text (502 UPSTREAM_BAD_RESPONSE). */
  ERROR;

  /** The mode named {@code text} ({@code slow}, {@code not-supported}), or {@code null}. */
  static BackendMode parse(String text) {
    if (text == null) {
      return null;
    }
    for (BackendMode mode : values()) {
      if (mode.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    return null;
  }

  /** The name used in the admin endpoint: {@code up}, {@code not-supported}. */
  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
