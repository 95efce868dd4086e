package dev.fhirguard.testing;

import java.util.ArrayList;
import java.util.List;

/** The header lines of one fuzzed request, in order, for {@link FuzzInvariants#request}. */
public final class FuzzHeaders {

  private final List<String[]> headers = new ArrayList<>();

  /** Adds one header line, whatever its value holds. */
  public FuzzHeaders add(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  /** Adds one header line only when {@code present}. */
  public FuzzHeaders addIf(boolean present, String name, String value) {
    return present ? add(name, value) : this;
  }

  /** The name-value pairs added so far. */
  public List<String[]> list() {
    return headers;
  }
}
