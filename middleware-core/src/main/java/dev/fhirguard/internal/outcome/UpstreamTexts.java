package dev.fhirguard.internal.outcome;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.text.RetryAfter;
import java.time.Duration;
import java.util.Map;

/**
 * What clients read about a failed upstream: named by its display name ("The patient records
 * service ...") or, without one, as "An upstream service ...". A failure that can pass tells when
 * to retry: the seconds of its {@code Retry-After} in the words maintenance and rate limits use,
 * or, when the upstream gave no time, that it gave none.
 */
final class UpstreamTexts {

  private static final Map<ErrorCode, String> SENTENCES = Map.of(
      ErrorCode.UPSTREAM_NOT_SUPPORTED, "%s does not support this operation.",
      ErrorCode.UPSTREAM_UNREACHABLE, "%s could not be reached.",
      ErrorCode.UPSTREAM_BAD_RESPONSE, "%s answered with an error or an unusable response.",
      ErrorCode.UPSTREAM_UNAVAILABLE, "%s is temporarily unavailable.",
      ErrorCode.CIRCUIT_OPEN, "%s is failing; calls to it are paused.",
      ErrorCode.UPSTREAM_TIMEOUT, "%s did not answer in time.");

  /** Without a {@code Retry-After}: a wait the upstream itself announces, or a failure to retry. */
  private static final Map<ErrorCode, String> UNTIMED = Map.of(
      ErrorCode.UPSTREAM_UNREACHABLE, " Retry later.",
      ErrorCode.UPSTREAM_UNAVAILABLE, " It did not say for how long: retry later.",
      ErrorCode.CIRCUIT_OPEN, " Retry later.",
      ErrorCode.UPSTREAM_TIMEOUT, " Retry later.");

  private UpstreamTexts() {}

  /**
   * The text for {@code code} naming {@code displayName} (or "an upstream service" when it is
   * {@code null}), with {@code retryAfter} when it is known; {@code null} for a code that is not
   * an upstream one.
   */
  static String sentence(ErrorCode code, String displayName, Duration retryAfter) {
    String pattern = SENTENCES.get(code);
    if (pattern == null) {
      return null;
    }
    String reason = String.format(pattern,
        displayName == null ? "An upstream service" : "The " + displayName);
    if (retryAfter != null) {
      return RetryAfter.sentence(reason, retryAfter);
    }
    return reason + UNTIMED.getOrDefault(code, "");
  }
}
