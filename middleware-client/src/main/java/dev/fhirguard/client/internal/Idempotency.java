package dev.fhirguard.client.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Which requests may be sent twice (RFC 9110 section 9.2.2): GET, HEAD, OPTIONS, PUT, DELETE and
 * TRACE, and a FHIR search sent by POST ({@code [type]/_search}, {@code _search}), which is as safe
 * as its GET. Any other POST (create, operation, batch, transaction) and PATCH are not.
 */
public final class Idempotency {

  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private Idempotency() {}

  /** Whether a {@code method} request to {@code uri} may be repeated without harm. */
  public static boolean isIdempotent(String method, String uri) {
    String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
    return IDEMPOTENT.contains(verb) || ("POST".equals(verb) && isSearch(uri));
  }

  private static boolean isSearch(String uri) {
    if (uri == null) {
      return false;
    }
    int end = uri.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = uri.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String path = uri.substring(0, end);
    return path.endsWith("/_search") || path.equals("_search");
  }
}
