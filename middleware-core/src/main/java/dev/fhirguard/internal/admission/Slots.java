package dev.fhirguard.internal.admission;

/** Places for requests in progress, counted per key; taking one never blocks. */
interface Slots {

  /** Takes a place for {@code key}; false when its bound is reached. */
  boolean tryAcquire(String key);

  /** Gives back a place {@code key} took. */
  void release(String key);
}
