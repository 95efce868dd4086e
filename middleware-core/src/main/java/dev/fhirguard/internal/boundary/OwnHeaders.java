package dev.fhirguard.internal.boundary;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The few headers fhirguard sets for a client (its rate-limit standing, five at most), by name
 * without regard to case: two arrays searched in order, which costs less than a sorted map for so
 * few names (most names differ in length, which {@code equalsIgnoreCase} checks first).
 */
final class OwnHeaders {

  private String[] names = new String[5];
  private String[] values = new String[5];
  private int size;

  /** Sets {@code name} to {@code value}, replacing the value of the same name in any case. */
  void put(String name, String value) {
    int at = indexOf(name);
    if (at < 0) {
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      at = size++;
      names[at] = name;
    }
    values[at] = value;
  }

  boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  /** Each header, in the order first set. */
  void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < size; i++) {
      action.accept(names[i], values[i]);
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
