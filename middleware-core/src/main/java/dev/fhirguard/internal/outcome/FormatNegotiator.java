package dev.fhirguard.internal.outcome;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Chooses the format of an error outcome: {@code _format} in the query string first, then the
 * q-ranked {@code Accept} header, then the request {@code Content-Type}, then JSON. A value the
 * server cannot serve is skipped, so an error is always readable. Reads the raw query string only:
 * it never calls {@code getParameter}, which would consume a form body.
 */
public final class FormatNegotiator {

  private static final int MAX_ACCEPT_LENGTH = 4096;

  private FormatNegotiator() {}

  public static Format negotiate(String queryString, String accept, String contentType) {
    Format chosen = fromQuery(queryString);
    if (chosen == null) {
      chosen = fromAccept(accept);
    }
    if (chosen == null) {
      chosen = Format.named(contentType);
    }
    return chosen == null ? Format.JSON : chosen;
  }

  static Format fromQuery(String queryString) {
    if (queryString == null || !queryString.contains("_format=")) {
      return null;
    }
    for (String pair : queryString.split("&", 64)) {
      if (pair.startsWith("_format=")) {
        Format format = Format.named(decode(pair.substring("_format=".length())));
        if (format != null) {
          return format;
        }
      }
    }
    return null;
  }

  private static String decode(String value) {
    // A literal '+' in "application/fhir+json" arrives as a space after form decoding.
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8).replace(' ', '+');
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  static Format fromAccept(String accept) {
    if (accept == null || accept.isBlank() || accept.length() > MAX_ACCEPT_LENGTH) {
      return null;
    }
    Format best = null;
    double bestQuality = 0;
    for (String range : accept.split(",", 64)) {
      Format format = Format.named(range);
      double quality = quality(range);
      if (format != null && quality > bestQuality) {
        best = format;
        bestQuality = quality;
      }
    }
    return best;
  }

  private static double quality(String range) {
    for (String parameter : range.split(";")) {
      String trimmed = parameter.trim();
      if (trimmed.startsWith("q=") || trimmed.startsWith("Q=")) {
        try {
          double q = Double.parseDouble(trimmed.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
