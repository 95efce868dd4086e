package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.text.RetryAfter;
import dev.fhirguard.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an error is answered.
 *
 * @param status the HTTP status
 * @param code the catalog entry
 * @param message the error's own message, shown to clients only when it is a safe 4xx text
 * @param headers response headers the error requires ({@code WWW-Authenticate}, {@code
 *     Retry-After})
 * @param publicText a client-safe text fhirguard wrote for the diagnostics (an upstream failure
 *     naming the upstream by its display name, a rate limit naming its wait), or {@code null}
 */
public record Failure(
    int status, ErrorCode code, String message, Map<String, String> headers, String publicText) {

  public Failure {
    headers = Map.copyOf(headers);
  }

  public Failure(int status, ErrorCode code, String message) {
    this(status, code, message, Map.of(), null);
  }

  public static Failure of(ErrorCode code, String message) {
    return new Failure(code.status(), code, message);
  }

  public static Failure ofStatus(int status, String message) {
    return new Failure(status, ErrorCode.forStatus(status), message);
  }

  /**
   * A refusal that tells the client when to come back: {@code Retry-After} and the text
   * "{@code reason} Please retry after N seconds." (N the same whole seconds) as its public text.
   */
  public static Failure retryLater(ErrorCode code, String reason, java.time.Duration wait) {
    String text = RetryAfter.sentence(reason, wait);
    return of(code, text).withRetryAfter(wait).withPublicText(text);
  }

  /** This failure with one more response header. */
  public Failure withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Failure(status, code, message, more, publicText);
  }

  /** This failure with {@code Retry-After}: whole seconds, rounded up, at least 1. */
  public Failure withRetryAfter(java.time.Duration wait) {
    return withHeader(RetryAfter.HEADER, String.valueOf(RetryAfter.seconds(wait)));
  }

  /** This failure with a client-safe diagnostics text (see {@link #publicText()}). */
  public Failure withPublicText(String text) {
    return new Failure(status, code, message, headers, text);
  }
}
