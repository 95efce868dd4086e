package dev.fhirguard.internal.limit;

import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.boundary.GuardedResponse;
import jakarta.servlet.http.HttpServletResponse;

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

  /** The parts of {@code policy}'s headers that never change, built once. */
  Fixed fixed(Policy policy) {
    String name = '"' + policy.name() + '"';
    return new Fixed(Long.toString(policy.capacity()),
        name + ";q=" + policy.capacity() + ";w=" + ceilSeconds(policy.period().toNanos()),
        name + ";r=");
  }

  /**
   * One policy's fixed header values.
   *
   * @param limit {@code X-RateLimit-Limit}
   * @param ietfPolicy {@code RateLimit-Policy}
   * @param ietfStatePrefix {@code RateLimit} up to its remaining count
   */
  record Fixed(String limit, String ietfPolicy, String ietfStatePrefix) {}

  void write(HttpServletResponse response, Fixed fixed, Decision decision) {
    if (refusalsOnly && decision.allowed()) {
      return;
    }
    GuardedResponse guarded = GuardedResponse.in(response);
    long reset = ceilSeconds(decision.nanosToFull());
    String remaining = Long.toString(decision.remaining());
    if (classic) {
      set(guarded, response, LIMIT, fixed.limit());
      set(guarded, response, REMAINING, remaining);
      set(guarded, response, RESET, Long.toString(reset));
    }
    if (ietf) {
      set(guarded, response, IETF_POLICY, fixed.ietfPolicy());
      set(guarded, response, IETF_STATE, fixed.ietfStatePrefix() + remaining + ";t=" + reset);
    }
  }

  private static void set(
      GuardedResponse guarded, HttpServletResponse response, String name, String value) {
    if (guarded != null) {
      guarded.setOwnHeader(name, value);
    } else {
      response.setHeader(name, value);
    }
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
  }
}
