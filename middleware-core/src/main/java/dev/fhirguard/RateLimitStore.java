package dev.fhirguard;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the token buckets of the rate limits live. The default keeps them in memory (Caffeine,
 * bounded); a cluster of servers shares one through {@code fhirguard.cluster.redis-url} (the
 * {@code fhirguard-redis} module), or plugs in its own with {@link
 * FhirGuard.Builder#rateLimitStore}, and the filter does not change.
 *
 * <p>An implementation must be thread-safe, must never admit more than a bucket holds, and must
 * not hold a lock while it does I/O.
 */
public interface RateLimitStore {

  /**
   * Takes {@code cost} tokens from the bucket of {@code key} when it holds that many, creating a
   * full bucket for a key it has not seen (or has dropped). A cost of 0 takes nothing and reports
   * the bucket as it is.
   *
   * @param key whose bucket: {@code client:<client-id>}, {@code anonymous:<ip>} (a client without a
   *     token) or {@code address:<ip>} (the limit in front of authentication)
   * @param cost 0 or more, at most {@code policy.capacity()}
   */
  Decision tryConsume(String key, Policy policy, long cost);

  /**
   * The shape of a bucket.
   *
   * @param name the policy's name in the {@code RateLimit-Policy} header
   * @param capacity the tokens a full bucket holds
   * @param period the time an empty bucket takes to refill
   * @param interval whether the capacity comes back at once at the end of each period (a fixed
   *     window) instead of token by token
   */
  record Policy(String name, long capacity, Duration period, boolean interval) {
    public Policy {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(period, "period");
      if (capacity < 1 || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("a policy needs a capacity of 1 or more and a period");
      }
    }
  }

  /**
   * The answer for one request.
   *
   * @param allowed whether the tokens were taken
   * @param remaining the tokens left in the bucket
   * @param nanosToWait when refused, the time until {@code cost} tokens are there; else 0
   * @param nanosToFull the time until the bucket is full again
   */
  record Decision(boolean allowed, long remaining, long nanosToWait, long nanosToFull) {}
}
