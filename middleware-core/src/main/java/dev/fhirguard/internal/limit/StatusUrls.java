package dev.fhirguard.internal.limit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;

/** Status URLs compared as path and query, as sent: the host may differ behind a proxy. */
final class StatusUrls {

  private StatusUrls() {}

  /** The status key of a request: its path and query. */
  static String of(HttpServletRequest request) {
    String query = request.getQueryString();
    return query == null ? request.getRequestURI() : request.getRequestURI() + '?' + query;
  }

  /**
   * The status key of a kick-off's {@code Content-Location}, resolved against the request URL;
   * {@code null} when there is none or it is not a URL.
   */
  static String ofLocation(HttpServletRequest request, String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    try {
      URI resolved = new URI(request.getRequestURL().toString()).resolve(location.trim());
      String path = resolved.getRawPath();
      if (path == null || path.isEmpty()) {
        return null;
      }
      return resolved.getRawQuery() == null ? path : path + '?' + resolved.getRawQuery();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
