package dev.fhirguard.internal.outcome;

import java.util.Locale;

/** The two encodings an OperationOutcome can be sent in. */
public enum Format {
  JSON("application/fhir+json;charset=UTF-8"),
  XML("application/fhir+xml;charset=UTF-8");

  private final String contentType;

  Format(String contentType) {
    this.contentType = contentType;
  }

  /** The response {@code Content-Type}: always the FHIR media type with {@code charset=UTF-8}. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format named by a media type or a {@code _format} value, or {@code null} when it names
   * neither JSON nor XML. Parameters ({@code ;charset=...}) are ignored.
   */
  public static Format named(String mediaType) {
    if (mediaType == null) {
      return null;
    }
    int semicolon = mediaType.indexOf(';');
    String type =
        (semicolon >= 0 ? mediaType.substring(0, semicolon) : mediaType)
            .trim()
            .toLowerCase(Locale.ROOT);
    switch (type) {
      case "json":
      case "application/json":
      case "application/fhir+json":
      case "application/json+fhir":
        return JSON;
      case "xml":
      case "text/xml":
      case "application/xml":
      case "application/fhir+xml":
      case "application/xml+fhir":
        return XML;
      default:
        return null;
    }
  }

  /**
   * Whether a response {@code Content-Type} already declares a FHIR resource in one of the two
   * formats: {@code application/fhir+ndjson} does not (HAPI labels an XML outcome so when asked
   * for {@code _format=ndjson}).
   */
  public static boolean isFhirMediaType(String contentType) {
    return named(contentType) != null
        && contentType.toLowerCase(Locale.ROOT).contains("fhir");
  }
}
