package dev.fhirguard.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Remembers verified tokens until their expiry, in a Caffeine cache bounded by the heap its
 * entries hold ({@link TokenWeigher}), not by their number: tokens of any size cannot take more
 * than the budget. A repeated token costs a hash lookup instead of a signature check. Refusals are
 * not cached (a flood of bad tokens must not evict good ones).
 */
final class CachingVerifier implements TokenVerifier {

  private static final Duration LONGEST = Duration.ofDays(365);

  private final TokenVerifier delegate;
  private final Cache<String, VerifiedClient> verified;
  private final Clock clock;

  /** @param maximumBytes the heap the cached tokens may hold, as {@link TokenWeigher} counts it */
  CachingVerifier(TokenVerifier delegate, long maximumBytes, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
    this.verified = Caffeine.newBuilder()
        .maximumWeight(maximumBytes)
        .weigher(new TokenWeigher())
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new UntilExpiry(clock))
        .build();
  }

  @Override
  public VerifiedClient verify(String token) throws TokenRejectedException {
    VerifiedClient known = known(token);
    return known != null ? known : verifyAndKeep(token);
  }

  /** The cached client of {@code token} while it has not expired, else {@code null}. */
  VerifiedClient known(String token) {
    VerifiedClient known = verified.getIfPresent(token);
    return known != null && clock.instant().isBefore(known.expiresAt()) ? known : null;
  }

  /** Verifies {@code token} with the delegate and caches the client until it expires. */
  VerifiedClient verifyAndKeep(String token) throws TokenRejectedException {
    VerifiedClient fresh = delegate.verify(token);
    if (clock.instant().isBefore(fresh.expiresAt())) {
      verified.put(token, fresh);
    }
    return fresh;
  }

  /** Number of cached tokens, for tests and benchmarks. */
  long size() {
    verified.cleanUp();
    return verified.estimatedSize();
  }

  /** The bytes the cached tokens weigh, for tests and benchmarks. */
  long weight() {
    verified.cleanUp();
    return verified.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  private record UntilExpiry(Clock clock) implements Expiry<String, VerifiedClient> {
    @Override
    public long expireAfterCreate(String token, VerifiedClient client, long now) {
      Duration left = Duration.between(clock.instant(), client.expiresAt());
      return Math.max(0, (left.compareTo(LONGEST) > 0 ? LONGEST : left).toNanos());
    }

    @Override
    public long expireAfterUpdate(String token, VerifiedClient client, long now, long current) {
      return expireAfterCreate(token, client, now);
    }

    @Override
    public long expireAfterRead(String token, VerifiedClient client, long now, long current) {
      return current;
    }
  }
}
