package dev.fhirguard.internal.upstream;

import dev.fhirguard.internal.events.GuardEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one upstream: a Resilience4j breaker, plus the bookkeeping Resilience4j
 * does not expose (when the open state ends, for {@code Retry-After}), plus one log line per state
 * change on logger {@code dev.fhirguard.upstream}.
 */
public final class UpstreamCircuit {

  static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.upstream");

  private final String name;
  private final Duration waitInOpenState;
  private final Clock clock;
  private final CircuitBreaker breaker;
  private final GuardEvents events;
  private volatile Instant openUntil;

  /** @param breakers the registry the breaker is made in (and its metrics bound from) */
  UpstreamCircuit(String name, CircuitPolicy policy, Clock clock, CircuitBreakerRegistry breakers,
      GuardEvents events) {
    this.name = name;
    this.waitInOpenState = policy.waitInOpenState();
    this.clock = clock;
    this.events = events;
    this.breaker = breakers.circuitBreaker(name, config(policy, clock));
    breaker.getEventPublisher().onStateTransition(this::onTransition);
  }

  private static CircuitBreakerConfig config(CircuitPolicy policy, Clock clock) {
    return CircuitBreakerConfig.custom()
        .clock(clock)
        .failureRateThreshold(policy.failureRate())
        .slowCallRateThreshold(policy.slowCallRate())
        .slowCallDurationThreshold(policy.slowCallDuration())
        .waitDurationInOpenState(policy.waitInOpenState())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(policy.slidingWindowSize())
        .minimumNumberOfCalls(policy.minimumCalls())
        .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .build();
  }

  /** Whether a call may go to the upstream now; when true, report it with one of the below. */
  public boolean tryAcquire() {
    return breaker.tryAcquirePermission();
  }

  /** A call that the upstream answered, after {@code nanos}. */
  public void succeeded(long nanos) {
    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
  }

  /** A call that failed in a way that says the upstream is unwell. */
  public void failed(long nanos, Throwable error) {
    breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
  }

  /** A call that failed for a reason that says nothing about the upstream's health. */
  public void ignored() {
    breaker.releasePermission();
  }

  /**
   * How long a refused caller should wait: the real time left in the open state (the full wait
   * when the state has just opened), or a second while half-open probes are under way.
   */
  public Duration retryAfter() {
    if (breaker.getState() != CircuitBreaker.State.OPEN) {
      return Duration.ofSeconds(1);
    }
    Instant until = openUntil;
    if (until == null) {
      return waitInOpenState; // opened a moment ago; the transition is being published
    }
    Duration left = Duration.between(clock.instant(), until);
    if (left.isNegative()) {
      return waitInOpenState; // until is a previous open state's: opened again a moment ago
    }
    return left.isZero() ? Duration.ofSeconds(1) : left; // the last instant: probes come next
  }

  /** The state, for tests and diagnostics: CLOSED, OPEN, HALF_OPEN. */
  public String state() {
    return breaker.getState().name();
  }

  private void onTransition(CircuitBreakerOnStateTransitionEvent event) {
    CircuitBreaker.State to = event.getStateTransition().getToState();
    CircuitBreaker.State from = event.getStateTransition().getFromState();
    if (to == CircuitBreaker.State.OPEN) {
      openUntil = clock.instant().plus(waitInOpenState);
      CircuitBreaker.Metrics metrics = breaker.getMetrics();
      LOG.warn("Upstream {}: circuit {} -> OPEN (failure rate {}%, slow-call rate {}% of {} calls);"
              + " calls fail fast for {} ms", name, from, rate(metrics.getFailureRate()),
          rate(metrics.getSlowCallRate()), metrics.getNumberOfBufferedCalls(),
          waitInOpenState.toMillis());
    } else {
      LOG.info("Upstream {}: circuit {} -> {}", name, from, to);
    }
    events.circuitTransition(name, from.name(), to.name());
  }

  private static String rate(float percent) {
    return percent < 0 ? "-" : String.valueOf(Math.round(percent));
  }
}
