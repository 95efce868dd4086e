package dev.fhirguard.internal.tracking;

/**
 * The transaction id of one request, and the client's rejected id when it is echoed back.
 *
 * @param requestId the id sent in {@code X-Request-ID}, logged and put in every outcome
 * @param correlationId the client's own value, sent in {@code X-Correlation-Id}, or {@code null}
 */
public record RequestIdentity(String requestId, String correlationId) {

  /** The request attribute under which the identity is kept for the error dispatch. */
  public static final String ATTRIBUTE = RequestIdentity.class.getName();
}
