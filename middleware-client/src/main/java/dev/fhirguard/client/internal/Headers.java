package dev.fhirguard.client.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP header maps with case-insensitive names (stored in lower case, as HAPI's client does). */
public final class Headers {

  public static final String REQUEST_ID = "X-Request-ID";
  public static final String CORRELATION_ID = "X-Correlation-Id";

  private Headers() {}

  /** {@code headers} with lower-case names, the values of names that differ only in case joined. */
  public static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> lower = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((name, values) -> {
        if (name != null && values != null) {
          lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
              .addAll(values);
        }
      });
    }
    lower.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(lower);
  }

  /** The first value of header {@code name} in {@code headers}, or {@code null}. */
  public static String first(Map<String, List<String>> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null
          && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }
}
