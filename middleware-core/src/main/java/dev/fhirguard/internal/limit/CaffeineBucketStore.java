package dev.fhirguard.internal.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.fhirguard.RateLimitStore;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;

/**
 * Token buckets in memory: Bucket4j's lock-free buckets (compare-and-swap on immutable state,
 * integer arithmetic) in a bounded Caffeine cache. A bucket untouched for its policy's period has
 * refilled completely, so it is dropped then: a new full bucket is the same bucket.
 */
public final class CaffeineBucketStore implements RateLimitStore {

  private final Cache<String, Held> buckets;
  private final ClockTime time;

  /**
   * @param maxBuckets the most buckets held; past it Caffeine evicts the least valuable
   * @param clock the clock buckets refill by
   */
  public CaffeineBucketStore(long maxBuckets, Clock clock) {
    this.time = ClockTime.of(clock);
    this.buckets = Caffeine.newBuilder()
        .maximumSize(maxBuckets)
        .expireAfter(new IdleForAPeriod())
        .ticker(time)
        .executor(Runnable::run)
        .build();
  }

  @Override
  public Decision tryConsume(String key, Policy policy, long cost) {
    Held held = buckets.get(key, k -> new Held(bucket(policy), policy.period().toNanos()));
    if (cost == 0) {
      return look(held.bucket, policy);
    }
    ConsumptionProbe probe = held.bucket.tryConsumeAndReturnRemaining(cost);
    return new Decision(probe.isConsumed(), probe.getRemainingTokens(),
        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), probe.getNanosToWaitForReset());
  }

  /** The bucket as it is, without taking anything: Bucket4j's own time until it is full. */
  private static Decision look(Bucket bucket, Policy policy) {
    EstimationProbe full = bucket.estimateAbilityToConsume(policy.capacity());
    return new Decision(true, full.getRemainingTokens(), 0, full.getNanosToWaitForRefill());
  }

  /** The number of buckets held now, after pending evictions; for tests and benchmarks. */
  public long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  private Bucket bucket(Policy policy) {
    var builder = Bucket.builder();
    for (Bandwidth limit : configuration(policy).getBandwidths()) {
      builder.addLimit(limit);
    }
    return builder
        .withCustomTimePrecision(time)
        .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE)
        .build();
  }

  /**
   * The shape of a bucket of {@code policy}: its capacity, refilled token by token or all at once
   * at the end of each period. The one definition, shared by the cluster's store.
   */
  public static BucketConfiguration configuration(Policy policy) {
    return BucketConfiguration.builder()
        .addLimit(limit -> {
          var capacity = limit.capacity(policy.capacity());
          return policy.interval()
              ? capacity.refillIntervally(policy.capacity(), policy.period())
              : capacity.refillGreedy(policy.capacity(), policy.period());
        })
        .build();
  }

  private record Held(Bucket bucket, long periodNanos) {}

  /** Keeps a bucket for one period after its last use. */
  private static final class IdleForAPeriod implements Expiry<String, Held> {
    @Override
    public long expireAfterCreate(String key, Held held, long now) {
      return held.periodNanos;
    }

    @Override
    public long expireAfterUpdate(String key, Held held, long now, long remaining) {
      return held.periodNanos;
    }

    @Override
    public long expireAfterRead(String key, Held held, long now, long remaining) {
      return held.periodNanos;
    }
  }
}
