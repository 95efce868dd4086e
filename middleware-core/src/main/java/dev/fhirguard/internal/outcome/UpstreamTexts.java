package dev.fhirguard.internal.outcome;

import dev.fhirguard.ErrorCode;
import java.util.Map;

/** What clients read about a failed upstream, named by its display name. */
final class UpstreamTexts {

  private static final Map<ErrorCode, String> SENTENCES = Map.of(
      ErrorCode.UPSTREAM_NOT_SUPPORTED, "The %s does not support this operation.",
      ErrorCode.UPSTREAM_UNREACHABLE, "The %s could not be reached. Retry later.",
      ErrorCode.UPSTREAM_BAD_RESPONSE, "The %s answered with an error or an unusable response.",
      ErrorCode.UPSTREAM_UNAVAILABLE, "The %s is temporarily unavailable. Retry later.",
      ErrorCode.CIRCUIT_OPEN, "The %s is failing; calls to it are paused. Retry later.",
      ErrorCode.UPSTREAM_TIMEOUT, "The %s did not answer in time. Retry later.");

  private UpstreamTexts() {}

  /** The sentence for {@code code} naming {@code displayName}; {@code null} if there is none. */
  static String sentence(ErrorCode code, String displayName) {
    String pattern = SENTENCES.get(code);
    return pattern == null || displayName == null ? null : String.format(pattern, displayName);
  }

  /** Whether {@code code} is one of the upstream entries of the catalog. */
  static boolean isUpstreamCode(ErrorCode code) {
    return SENTENCES.containsKey(code);
  }
}
