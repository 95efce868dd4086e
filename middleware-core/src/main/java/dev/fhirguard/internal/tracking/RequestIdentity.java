package dev.fhirguard.internal.tracking;

/**
 * The transaction id of one request, the client's rejected id when it is echoed back, and the
 * W3C trace context the request came with.
 *
 * @param requestId the id sent in {@code X-Request-ID}, logged and put in every outcome
 * @param correlationId the client's own value, sent in {@code X-Correlation-Id}, or {@code null}
 * @param trace the valid {@code traceparent} received, or {@code null}
 */
public record RequestIdentity(String requestId, String correlationId, TraceContext trace) {

  /** The request attribute under which the identity is kept for the error dispatch. */
  public static final String ATTRIBUTE = RequestIdentity.class.getName();

  /** An identity without trace context. */
  public RequestIdentity(String requestId, String correlationId) {
    this(requestId, correlationId, null);
  }
}
