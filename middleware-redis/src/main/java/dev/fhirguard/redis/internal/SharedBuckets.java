package dev.fhirguard.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.internal.limit.CaffeineBucketStore;
import dev.fhirguard.cluster.ClusterSettings;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;

/**
 * Token buckets in Redis through Bucket4j's Lettuce proxy manager (compare-and-swap: a GET and an
 * EVAL per decision), shaped exactly as the guard's own buckets in memory. A bucket's key expires
 * once it would be full again. While Redis cannot answer, each replica decides with buckets of
 * its own holding capacity ÷ replicas (never no limit); the per-address buckets stay local unless
 * they are shared by the settings.
 */
final class SharedBuckets implements RateLimitStore {

  private static final String ADDRESS = "address:";

  private final StoreCalls calls;
  private final RedisLink redis;
  private final RedisKeys keys;
  private final ClusterSettings settings;
  private final RateLimitStore local;
  private volatile Proxies proxies;

  SharedBuckets(StoreCalls calls, RedisLink redis, RedisKeys keys, ClusterSettings settings) {
    this.calls = calls;
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.local = new CaffeineBucketStore(settings.fallbackMaxBuckets(), Clock.systemUTC());
  }

  @Override
  public Decision tryConsume(String key, Policy policy, long cost) {
    if (!settings.shareAddressLimit() && key.startsWith(ADDRESS)) {
      return local(key, policy, cost);
    }
    return calls.call(() -> shared(key, policy, cost), () -> local(key, policy, cost));
  }

  private Decision shared(String key, Policy policy, long cost) {
    Bucket bucket = bucket(keys.bucket(key, policy), policy);
    if (cost == 0) {
      EstimationProbe full = bucket.estimateAbilityToConsume(policy.capacity());
      return new Decision(true, full.getRemainingTokens(), 0, full.getNanosToWaitForRefill());
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(cost);
    return new Decision(probe.isConsumed(), probe.getRemainingTokens(),
        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), probe.getNanosToWaitForReset());
  }

  /** This replica's share of the bucket: capacity ÷ replicas, at least 1. */
  private Decision local(String key, Policy policy, long cost) {
    long capacity = Math.max(1, policy.capacity() / settings.replicas());
    Policy share = capacity == policy.capacity() ? policy
        : new Policy(policy.name(), capacity, policy.period(), policy.interval());
    return local.tryConsume(key, share, Math.min(cost, capacity));
  }

  /**
   * The bucket of {@code redisKey}, kept for the next decisions: concurrent decisions on one
   * bucket in this replica go to Redis as one batch (else a hot bucket's compare-and-swap retries
   * would use up the timeout, and the fallback would decide), or, with a rate-limit sync, are
   * taken from this replica's view between synchronizations.
   */
  private Bucket bucket(String redisKey, Policy policy) {
    Proxies current = proxies();
    return current.buckets.get(redisKey, k -> {
      RemoteBucketBuilder<String> builder = current.manager.builder();
      if (settings.rateLimitSync().isZero()) {
        builder = builder.withOptimization(Optimizations.batching());
      } else {
        builder = builder.withOptimization(Optimizations.delaying(new DelayParameters(
            Math.max(1, policy.capacity() / (10L * settings.replicas())),
            settings.rateLimitSync())));
      }
      return builder.build(k, () -> configuration(policy));
    });
  }

  /** The proxies on the connection open now, made anew when it was opened again. */
  private Proxies proxies() {
    StatefulRedisConnection<String, byte[]> connection = redis.buckets();
    Proxies made = proxies;
    if (made == null || made.connection != connection) { // two threads may both make one
      made = new Proxies(connection, Bucket4jLettuce.casBasedBuilder(connection)
          .requestTimeout(settings.timeout())
          .expirationAfterWrite(
              ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
          .build(), settings);
      proxies = made;
    }
    return made;
  }

  /** Bucket4j's proxy manager on one connection and the buckets bound to it. */
  private static final class Proxies {

    final StatefulRedisConnection<String, byte[]> connection;
    final ProxyManager<String> manager;
    final Cache<String, Bucket> buckets;

    Proxies(StatefulRedisConnection<String, byte[]> connection, ProxyManager<String> manager,
        ClusterSettings settings) {
      this.connection = connection;
      this.manager = manager;
      this.buckets = Caffeine.newBuilder()
          .maximumSize(settings.fallbackMaxBuckets())
          .expireAfterAccess(Duration.ofMinutes(10))
          .build();
    }
  }

  /** The guard's own bucket shape, as the core's in-memory store builds it. */
  static BucketConfiguration configuration(Policy policy) {
    return CaffeineBucketStore.configuration(policy);
  }
}
