package dev.fhirguard.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Weigher;
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
  private final Cache<TokenKey, VerifiedClient> verified;
  private final Clock clock;

  /** @param maximumBytes the heap the cached tokens may hold, as {@link TokenWeigher} counts it */
  CachingVerifier(TokenVerifier delegate, long maximumBytes, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
    this.verified = Caffeine.newBuilder()
        .maximumWeight(maximumBytes)
        .weigher(new KeyWeigher(new TokenWeigher()))
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
    VerifiedClient known = verified.getIfPresent(new TokenKey(token));
    return known != null && clock.instant().isBefore(known.expiresAt()) ? known : null;
  }

  /** Verifies {@code token} with the delegate and caches the client until it expires. */
  VerifiedClient verifyAndKeep(String token) throws TokenRejectedException {
    VerifiedClient fresh = delegate.verify(token);
    if (clock.instant().isBefore(fresh.expiresAt())) {
      verified.put(new TokenKey(token), fresh);
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

  /**
   * A token as the cache's key, hashed over its length and {@value #HASHED} of its characters,
   * evenly spaced back from the last: a request's token is a new string, and hashing all of its
   * hundreds of characters was half the cost of a hit. The end of a JWT is its signature and the
   * spacing reaches the random part of an opaque token with a fixed prefix or suffix, so the hash
   * spreads; equality is still the whole token. Only verified tokens are stored, so no caller can
   * fill a bucket of the table with keys of one hash.
   */
  static final class TokenKey {
    static final int HASHED = 32;
    /** Its heap: object header, the reference and the hash. */
    static final int BYTES = 24;

    private final String token;
    private final int hash;

    TokenKey(String token) {
      this.token = token;
      int length = token.length();
      int step = Math.max(1, length / HASHED);
      int h = length;
      for (int i = length - 1, taken = 0; i >= 0 && taken < HASHED; i -= step, taken++) {
        h = 31 * h + token.charAt(i);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TokenKey key && hash == key.hash && token.equals(key.token);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** {@link TokenWeigher}'s weight of the token and its client, and the key object's. */
  private record KeyWeigher(TokenWeigher tokens) implements Weigher<TokenKey, VerifiedClient> {
    @Override
    public int weigh(TokenKey key, VerifiedClient client) {
      long bytes = (long) TokenKey.BYTES + tokens.weigh(key.token, client);
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
  }

  private record UntilExpiry(Clock clock) implements Expiry<TokenKey, VerifiedClient> {
    @Override
    public long expireAfterCreate(TokenKey token, VerifiedClient client, long now) {
      Duration left = Duration.between(clock.instant(), client.expiresAt());
      return Math.max(0, (left.compareTo(LONGEST) > 0 ? LONGEST : left).toNanos());
    }

    @Override
    public long expireAfterUpdate(
        TokenKey token, VerifiedClient client, long now, long current) {
      return expireAfterCreate(token, client, now);
    }

    @Override
    public long expireAfterRead(
        TokenKey token, VerifiedClient client, long now, long current) {
      return current;
    }
  }
}
