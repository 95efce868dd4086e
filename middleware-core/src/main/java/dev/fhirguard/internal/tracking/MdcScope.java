package dev.fhirguard.internal.tracking;

import org.slf4j.MDC;

/** Puts MDC entries for a scope and restores whatever was there before on close. */
public final class MdcScope implements AutoCloseable {

  private final String[] keys;
  private final String[] previous;

  private MdcScope(String... keys) {
    this.keys = keys;
    this.previous = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      previous[i] = MDC.get(keys[i]);
    }
  }

  public static MdcScope open(String firstKey, String firstValue, String secondKey, String secondValue) {
    MdcScope scope = new MdcScope(firstKey, secondKey);
    put(firstKey, firstValue);
    put(secondKey, secondValue);
    return scope;
  }

  public static MdcScope open(String key, String value) {
    MdcScope scope = new MdcScope(key);
    put(key, value);
    return scope;
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      put(keys[i], previous[i]);
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
