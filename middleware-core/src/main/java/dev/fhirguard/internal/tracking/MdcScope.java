package dev.fhirguard.internal.tracking;

import org.slf4j.MDC;

/**
 * Puts MDC entries for a scope and restores whatever was there before on close. A scope opened
 * for a request's identity ({@link RequestTracking#open}) also makes that request the thread's
 * current one until it closes: {@link #current()} serves the headers an upstream call propagates.
 */
public final class MdcScope implements AutoCloseable {

  private static final ThreadLocal<MdcScope> CURRENT = new ThreadLocal<>();

  private final String[] keys;
  private final String[] previous;
  private final RequestIdentity identity;
  private final MdcScope enclosing;
  private TraceContext started;

  private MdcScope(RequestIdentity identity, String... keys) {
    this.keys = keys;
    this.previous = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      previous[i] = MDC.get(keys[i]);
    }
    this.identity = identity;
    this.enclosing = identity == null ? null : CURRENT.get();
    if (identity != null) {
      CURRENT.set(this);
    }
  }

  public static MdcScope open(
      String firstKey, String firstValue, String secondKey, String secondValue) {
    MdcScope scope = new MdcScope(null, firstKey, secondKey);
    put(firstKey, firstValue);
    put(secondKey, secondValue);
    return scope;
  }

  public static MdcScope open(String key, String value) {
    MdcScope scope = new MdcScope(null, key);
    put(key, value);
    return scope;
  }

  /** Puts {@code values} under {@code keys} and makes {@code identity}'s request current. */
  static MdcScope forRequest(RequestIdentity identity, String[] keys, String[] values) {
    MdcScope scope = new MdcScope(identity, keys);
    for (int i = 0; i < keys.length; i++) {
      put(keys[i], values[i]);
    }
    return scope;
  }

  /** The scope of the request this thread works for, or {@code null} outside one. */
  public static MdcScope current() {
    return CURRENT.get();
  }

  /** The identity of this scope's request. */
  public RequestIdentity identity() {
    return identity;
  }

  /**
   * The trace context to propagate: the one the request came with, or else one started (once per
   * scope) for it.
   */
  public TraceContext trace() {
    if (identity.trace() != null) {
      return identity.trace();
    }
    if (started == null) {
      started = enclosing != null && enclosing.identity == identity
          ? enclosing.trace() : TraceContext.start();
    }
    return started;
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      put(keys[i], previous[i]);
    }
    if (identity != null) {
      CURRENT.set(enclosing); // not remove(): the next request reuses the thread's entry
    }
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
