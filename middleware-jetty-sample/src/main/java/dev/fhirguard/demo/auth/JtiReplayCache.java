package dev.fhirguard.demo.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The client assertion ids ({@code jti}) already used, each kept until its assertion can no longer
 * be accepted anyway. Bounded in size: past the bound Caffeine evicts entries by its own policy
 * (not oldest first), so a flood of assertions from registered clients could let an evicted,
 * unexpired jti be replayed. Only clients whose signature verified can add entries.
 */
final class JtiReplayCache {

  private final Cache<String, Instant> used;

  JtiReplayCache(long maximumSize, Clock clock) {
    this.used = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .expireAfter(Expiry.creating((String key, Instant forgetAt) -> untilThen(clock, forgetAt)))
        .build();
  }

  /**
   * Records {@code jti} of {@code clientId} until {@code forgetAt}; false if it was already there.
   */
  boolean firstUse(String clientId, String jti, Instant forgetAt) {
    return used.asMap().putIfAbsent(clientId + '\n' + jti, forgetAt) == null;
  }

  private static Duration untilThen(Clock clock, Instant forgetAt) {
    Duration left = Duration.between(clock.instant(), forgetAt);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
