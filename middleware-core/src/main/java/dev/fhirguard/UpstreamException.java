package dev.fhirguard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream (a backend, an EHR, another FHIR server) failed. Throw it from application code
 * when a backend answers with an error; fhirguard answers the client with the status, the
 * upstream's display name ({@code fhirguard.upstreams.<name>.display-name}) and, when given, a
 * {@code Retry-After} header. The message and the cause go to the log, never to the client.
 *
 * <pre>{@code
 * if (response.statusCode() == 503) {
 *   throw new UpstreamException("ehr", 503, retryAfterOf(response), null);
 * }
 * }</pre>
 *
 * <p>Statuses: 500 ({@link ErrorCode#INTERNAL_ERROR}), 501 ({@link
 * ErrorCode#UPSTREAM_NOT_SUPPORTED}), 502 ({@link ErrorCode#UPSTREAM_BAD_RESPONSE}), 503 ({@link
 * ErrorCode#UPSTREAM_UNAVAILABLE}) and 504 ({@link ErrorCode#UPSTREAM_TIMEOUT}).
 */
public class UpstreamException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String upstream;
  private final ErrorCode code;
  private final Duration retryAfter;

  /** An upstream failure with {@code status} (500 to 504), without {@code Retry-After}. */
  public UpstreamException(String upstream, int status) {
    this(upstream, status, null, null);
  }

  /**
   * @param upstream the upstream's configured name (not shown to clients; see the class comment)
   * @param status 500 to 504
   * @param retryAfter when the upstream said it could be tried again, or {@code null}; a negative
   *     one (an HTTP-date already past, clocks apart) counts as zero
   * @param cause what went wrong, for the log; may be {@code null}
   * @throws IllegalArgumentException when the status is not 500 to 504
   */
  public UpstreamException(String upstream, int status, Duration retryAfter, Throwable cause) {
    this(upstream, codeFor(status), retryAfter, cause);
  }

  UpstreamException(String upstream, ErrorCode code, Duration retryAfter, Throwable cause) {
    super("upstream " + Objects.requireNonNull(upstream, "upstream") + " failed: " + code.code()
        + (retryAfter == null ? "" : ", retry after " + retryAfter), cause);
    this.upstream = upstream;
    this.code = code;
    this.retryAfter = retryAfter != null && retryAfter.isNegative() ? Duration.ZERO : retryAfter;
  }

  private static ErrorCode codeFor(int status) {
    return switch (status) {
      case 500 -> ErrorCode.INTERNAL_ERROR;
      case 501 -> ErrorCode.UPSTREAM_NOT_SUPPORTED;
      case 502 -> ErrorCode.UPSTREAM_BAD_RESPONSE;
      case 503 -> ErrorCode.UPSTREAM_UNAVAILABLE;
      case 504 -> ErrorCode.UPSTREAM_TIMEOUT;
      default -> throw new IllegalArgumentException(
          "an upstream failure is answered with 500 to 504, not " + status);
    };
  }

  /** The upstream's configured name. */
  public String upstream() {
    return upstream;
  }

  /** The catalog entry the client gets. */
  public ErrorCode code() {
    return code;
  }

  /** The HTTP status the client gets. */
  public int status() {
    return code.status();
  }

  /** How long the client should wait before retrying, when known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
