package dev.fhirguard.internal.auth;

import java.util.Map;

/**
 * One permission a request needs: an interaction on a resource type.
 *
 * @param resourceType the type, or {@code *} when the request may touch any type
 * @param permission one {@link Permission} bit
 * @param parameters the request's parameters, for query-constrained scopes
 * @param action what the request does, for the client's diagnostics ("search Observation")
 */
public record Need(
    String resourceType, int permission, Map<String, String[]> parameters, String action) {

  /**
   * Whether the request carries every constrained parameter with exactly the constrained value
   * (one value, no comma-separated alternatives).
   */
  boolean carries(Map<String, String> constraint) {
    for (Map.Entry<String, String> required : constraint.entrySet()) {
      String[] values = parameters.get(required.getKey());
      if (values == null || values.length != 1 || !required.getValue().equals(values[0])) {
        return false;
      }
    }
    return true;
  }
}
