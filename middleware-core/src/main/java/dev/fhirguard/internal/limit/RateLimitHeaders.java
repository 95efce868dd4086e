package dev.fhirguard.internal.limit;

import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.boundary.GuardedResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.BiConsumer;

/**
 * The headers that tell a client where it stands: {@code X-RateLimit-Limit}, {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds until the bucket is full again: a
 * delay, as Envoy sends it, not GitHub's epoch time), and optionally the IETF {@code
 * RateLimit-Policy} and {@code RateLimit} fields (draft-ietf-httpapi-ratelimit-headers). They
 * survive an application's {@code reset()}, as the transaction id does.
 */
final class RateLimitHeaders {

  static final String LIMIT = "X-RateLimit-Limit";
  static final String REMAINING = "X-RateLimit-Remaining";
  static final String RESET = "X-RateLimit-Reset";
  static final String IETF_POLICY = "RateLimit-Policy";
  static final String IETF_STATE = "RateLimit";

  private final boolean classic;
  private final boolean ietf;
  private final boolean refusalsOnly;

  private RateLimitHeaders(boolean classic, boolean ietf, boolean refusalsOnly) {
    this.classic = classic;
    this.ietf = ietf;
    this.refusalsOnly = refusalsOnly;
  }

  /** The headers to send, or {@code null} when none are. */
  static RateLimitHeaders of(boolean classic, boolean ietf) {
    return classic || ietf ? new RateLimitHeaders(classic, ietf, false) : null;
  }

  /**
   * The same headers, sent only with a refusal: for a limit whose standing a later limit
   * overwrites on every request it admits (the per-address limit before the per-client one).
   */
  RateLimitHeaders onRefusalOnly() {
    return new RateLimitHeaders(classic, ietf, true);
  }

  void write(HttpServletResponse response, Policy policy, Decision decision) {
    if (refusalsOnly && decision.allowed()) {
      return;
    }
    GuardedResponse guarded = GuardedResponse.in(response);
    BiConsumer<String, String> set = guarded != null ? guarded::setOwnHeader : response::setHeader;
    long reset = ceilSeconds(decision.nanosToFull());
    if (classic) {
      set.accept(LIMIT, Long.toString(policy.capacity()));
      set.accept(REMAINING, Long.toString(decision.remaining()));
      set.accept(RESET, Long.toString(reset));
    }
    if (ietf) {
      String name = '"' + policy.name() + '"';
      set.accept(IETF_POLICY,
          name + ";q=" + policy.capacity() + ";w=" + ceilSeconds(policy.period().toNanos()));
      set.accept(IETF_STATE, name + ";r=" + decision.remaining() + ";t=" + reset);
    }
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
  }
}
