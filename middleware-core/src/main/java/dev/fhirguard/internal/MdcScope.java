package dev.fhirguard.internal;

import org.slf4j.MDC;

/** Puts two MDC entries for a scope and restores whatever was there before on close. */
public final class MdcScope implements AutoCloseable {

  private final String firstKey;
  private final String firstPrevious;
  private final String secondKey;
  private final String secondPrevious;

  private MdcScope(String firstKey, String secondKey) {
    this.firstKey = firstKey;
    this.firstPrevious = MDC.get(firstKey);
    this.secondKey = secondKey;
    this.secondPrevious = MDC.get(secondKey);
  }

  static MdcScope open(String firstKey, String firstValue, String secondKey, String secondValue) {
    MdcScope scope = new MdcScope(firstKey, secondKey);
    put(firstKey, firstValue);
    put(secondKey, secondValue);
    return scope;
  }

  @Override
  public void close() {
    put(firstKey, firstPrevious);
    put(secondKey, secondPrevious);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
