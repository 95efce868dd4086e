package dev.fhirguard.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.internal.text.LogSafe;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS URL, cached by Nimbus for the configured time. A token whose {@code kid} is
 * not in the cached set triggers a refetch, but at most one per refetch interval across all
 * requests, so a flood of random key ids costs the key server one request per interval. While the
 * key server cannot be reached, the keys it last served keep verifying tokens for the outage
 * tolerance; a token that needs any other key is answered 503.
 */
final class RemoteKeys implements KeySource {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.auth");
  private static final int MAX_JWKS_BYTES = 512 * 1024;

  private final JWKSetSource<SecurityContext> cache;
  private final long refetchIntervalMillis;
  private final Clock clock;
  private final AtomicLong lastFetch = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong lastFailure = new AtomicLong(Long.MIN_VALUE / 2);
  private final URL url;
  private final long outageToleranceMillis;
  private volatile JWKSet lastServed;
  private volatile long lastServedAt;

  RemoteKeys(URL url, Duration ttl, Duration refetchInterval, Duration timeout,
      Duration outageTolerance, Clock clock) {
    this.url = url;
    this.outageToleranceMillis = outageTolerance.toMillis();
    this.clock = clock;
    this.refetchIntervalMillis = refetchInterval.toMillis();
    int timeoutMillis = (int) timeout.toMillis();
    JWKSetSource<SecurityContext> remote =
        new URLBasedJWKSetSource<>(
            url, new DefaultResourceRetriever(timeoutMillis, timeoutMillis, MAX_JWKS_BYTES));
    this.cache = new CachingJWKSetSource<>(new Counted(remote), ttl.toMillis(), timeoutMillis, null);
  }

  @Override
  public List<JWK> candidates(JWSHeader header) throws TokenRejectedException {
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    if (matcher == null) {
      return List.of();
    }
    JWKSelector selector = new JWKSelector(matcher);
    long now = clock.millis();
    try {
      List<JWK> found = selector.select(cache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, null));
      if (found.isEmpty() && mayRefetch(now)) {
        found = selector.select(cache.getJWKSet(JWKSetCacheRefreshEvaluator.forceRefresh(), now, null));
      }
      return found;
    } catch (KeySourceException e) {
      List<JWK> stale = lastServed == null || now - lastServedAt > outageToleranceMillis
          ? List.of() : selector.select(lastServed);
      if (!stale.isEmpty()) {
        return stale;
      }
      throw new TokenRejectedException(ErrorCode.TOKEN_VERIFICATION_UNAVAILABLE,
          "The keys of the authorization server could not be fetched to verify the token."
              + " Retry later.");
    }
  }

  /** Whether this caller may refetch now: one caller per interval wins. */
  private boolean mayRefetch(long now) {
    long last = lastFetch.get();
    return now - last >= refetchIntervalMillis && lastFetch.compareAndSet(last, now);
  }

  /**
   * Records the time of every real fetch, whatever caused it. After a failed fetch, the key
   * server is not asked again until the refetch interval has passed (the 503's Retry-After), so
   * a key server that is down is not asked once per request.
   */
  private final class Counted implements JWKSetSource<SecurityContext> {
    private final JWKSetSource<SecurityContext> source;

    Counted(JWKSetSource<SecurityContext> source) {
      this.source = source;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long time, SecurityContext context)
        throws KeySourceException {
      long now = clock.millis();
      if (now - lastFailure.get() < refetchIntervalMillis) {
        throw new KeySourceException("the last fetch failed less than "
            + refetchIntervalMillis / 1000 + "s ago; not retried yet");
      }
      lastFetch.set(now);
      try {
        JWKSet served = source.getJWKSet(evaluator, time, context).toPublicJWKSet();
        lastServed = served;
        lastServedAt = now;
        return served;
      } catch (KeySourceException | RuntimeException e) {
        lastFailure.set(now);
        LOG.warn("The JWKS at {} could not be fetched; asked again in {}s at the earliest: {}",
            url, refetchIntervalMillis / 1000, LogSafe.clean(e.getMessage(), 200));
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }
}
