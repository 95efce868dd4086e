package dev.fhirguard.testing;

/**
 * How a client asks for a format: a {@code _format} query parameter (or none), request headers,
 * and whether an XML answer is expected. Each test class picks the ways it drives.
 */
public enum Ask {
  DEFAULT(null, false),
  FORMAT_JSON("_format=json", false),
  FORMAT_XML("_format=xml", true),
  FORMAT_FHIR_XML_ENCODED("_format=application%2Ffhir%2Bxml", true),
  ACCEPT_JSON(null, false, "Accept", "application/fhir+json"),
  ACCEPT_XML(null, true, "Accept", "application/fhir+xml"),
  ACCEPT_RANKED_XML(null, true, "Accept", "application/fhir+xml;q=0.9, application/fhir+json;q=0.1"),
  FORMAT_JSON_BEATS_ACCEPT_XML("_format=json", false, "Accept", "application/fhir+xml"),
  ACCEPT_HTML(null, false, "Accept", "text/html");

  /** The query parameter, or null for none. */
  public final String query;
  /** Whether the answer must be XML (otherwise JSON). */
  public final boolean xml;
  /** Header name/value pairs. */
  public final String[] headers;

  Ask(String query, boolean xml, String... headers) {
    this.query = query;
    this.xml = xml;
    this.headers = headers;
  }

  /** {@code path} with the query parameter of this way of asking appended, if it has one. */
  public String on(String path) {
    return query == null ? path : path + (path.contains("?") ? "&" : "?") + query;
  }
}
