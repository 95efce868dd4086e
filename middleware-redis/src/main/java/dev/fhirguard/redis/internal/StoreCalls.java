package dev.fhirguard.redis.internal;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Every call to Redis goes through here: it is made only while the circuit breaker lets it (so a
 * Redis that is down or paused stops costing each request the timeout), and when it fails or is
 * not made its fallback answers instead. Counts the answers of either side and reports failures
 * (at most once a minute) and the return to shared mode.
 */
final class StoreCalls {

  private final RedisLink redis;
  private final CircuitBreaker breaker;
  private final FailureReport report;
  private final Clock clock;
  private final LongAdder sharedCalls = new LongAdder();
  private final LongAdder fallbackCalls = new LongAdder();
  private final LongAdder failedCalls = new LongAdder();
  private volatile Instant since;
  private volatile String lastFailure;

  StoreCalls(RedisLink redis, ClusterSettings settings, Clock clock) {
    this.redis = redis;
    this.clock = clock;
    this.since = clock.instant();
    this.report = new FailureReport(redis.endpoint().display(), settings.replicas());
    this.breaker = CircuitBreaker.of("fhirguard-redis", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.breakerSlidingWindowSize())
        .minimumNumberOfCalls(settings.breakerMinimumNumberOfCalls())
        .failureRateThreshold(settings.breakerFailureRateThreshold())
        .waitDurationInOpenState(settings.breakerWaitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(2)
        .writableStackTraceEnabled(false)
        .build());
    breaker.getEventPublisher().onStateTransition(this::transitioned);
  }

  /** The answer of {@code shared}, or of {@code fallback} when Redis cannot give it now. */
  <T> T call(Supplier<T> shared, Supplier<T> fallback) {
    if (!redis.isConnected() || !breaker.tryAcquirePermission()) {
      fallbackCalls.increment();
      return fallback.get();
    }
    long start = System.nanoTime();
    T answer;
    try {
      answer = shared.get();
    } catch (RuntimeException failure) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
      failed(failure);
      fallbackCalls.increment();
      return fallback.get();
    }
    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    sharedCalls.increment();
    return answer;
  }

  /** Runs {@code shared}, or {@code fallback} when Redis cannot run it now. */
  void run(Runnable shared, Runnable fallback) {
    call(() -> {
      shared.run();
      return null;
    }, () -> {
      fallback.run();
      return null;
    });
  }

  /** A failure outside a call (a connection attempt in the background). */
  void failed(RuntimeException failure) {
    failedCalls.increment();
    lastFailure = FailureReport.describe(failure);
    report.failed(failure, failedCalls.sum(), fallbackCalls.sum());
  }

  /** The first connection failed: logged already, the next warning a minute later at most. */
  void failedAtStart(RuntimeException failure) {
    failedCalls.increment();
    lastFailure = FailureReport.describe(failure);
    report.warnedNow();
  }

  /** Whether calls go to Redis now. */
  boolean isShared() {
    return redis.isConnected() && breaker.getState() == CircuitBreaker.State.CLOSED;
  }

  ClusterStatus status() {
    return new ClusterStatus(isShared(), redis.endpoint().display(), sharedCalls.sum(),
        fallbackCalls.sum(), failedCalls.sum(), since, lastFailure);
  }

  /** The background thread opened the connections (again). */
  void connected() {
    since = clock.instant();
    if (breaker.getState() == CircuitBreaker.State.CLOSED) { // else when it closes
      report.shared();
    }
  }

  private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
    CircuitBreaker.State to = event.getStateTransition().getToState();
    CircuitBreaker.State from = event.getStateTransition().getFromState();
    if (to == CircuitBreaker.State.OPEN && from == CircuitBreaker.State.CLOSED) {
      since = clock.instant();
    } else if (to == CircuitBreaker.State.CLOSED) {
      since = clock.instant();
      report.shared();
    }
  }
}
