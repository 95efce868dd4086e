package dev.fhirguard.client;

import dev.fhirguard.client.internal.Backoff;
import dev.fhirguard.client.internal.RetryRules;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed call is tried again. 429 and 503 are retried, and 502 and 504 for idempotent
 * requests (GET, HEAD, PUT, DELETE, a search by POST); POST and PATCH only with {@link
 * Builder#retryNonIdempotent(boolean)}. The wait is the server's {@code Retry-After} (seconds or
 * HTTP-date) when it is at most {@link Builder#maxRetryAfter(Duration)}, a longer one ends the
 * retries at once; without one, exponential backoff with full jitter. Retries stop after {@link
 * Builder#maxAttempts(int)} answers, when a wait would overrun {@link Builder#budget(Duration)},
 * or when the calling thread is interrupted. Immutable and thread-safe.
 */
public final class RetryPolicy {

  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(2);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final Duration budget;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final boolean retryNonIdempotent;
  private final RetryClock clock;
  private final RetryRules rules;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.maxRetryAfter = builder.maxRetryAfter;
    this.budget = builder.budget;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.retryNonIdempotent = builder.retryNonIdempotent;
    this.clock = builder.clock;
    this.rules = new RetryRules(maxAttempts, maxRetryAfter, budget,
        new Backoff(initialBackoff, maxBackoff, () -> ThreadLocalRandom.current().nextDouble()),
        retryNonIdempotent, clock);
  }

  /** The defaults: 4 attempts, Retry-After up to 60 s, a 2 min budget, backoff 0.5 s to 30 s. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** No retries: every failure is reported at once (with its headers and transaction id). */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public Duration budget() {
    return budget;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public boolean retryNonIdempotent() {
    return retryNonIdempotent;
  }

  public RetryClock clock() {
    return clock;
  }

  RetryRules rules() {
    return rules;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxRetryAfter=" + maxRetryAfter
        + ", budget=" + budget + ", backoff=" + initialBackoff + ".." + maxBackoff
        + ", retryNonIdempotent=" + retryNonIdempotent + "}";
  }

  /** Builds a {@link RetryPolicy}; every option starts at its default. */
  public static final class Builder {

    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration budget = DEFAULT_BUDGET;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private boolean retryNonIdempotent;
    private RetryClock clock = RetryClock.system();

    private Builder() {}

    /** Answers per call at most, the first one included (1: no retries). Default 4. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The longest {@code Retry-After} followed. A server asking for longer ends the retries at
     * once: it will not be back soon, and the caller should hear it now. Default 60 s.
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = notNegative("maxRetryAfter", maxRetryAfter);
      return this;
    }

    /** Time a call may spend waiting and retrying after its first answer. Default 2 min. */
    public Builder budget(Duration budget) {
      this.budget = notNegative("budget", budget);
      return this;
    }

    /**
     * Backoff when the server sent no usable {@code Retry-After}: retry n waits a random time up
     * to {@code min(max, initial * 2^(n-1))}. Default 0.5 s and 30 s.
     */
    public Builder backoff(Duration initial, Duration max) {
      notNegative("initial backoff", initial);
      notNegative("max backoff", max);
      if (initial.isZero() || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException("initial backoff must be positive and at most max"
            + " backoff (" + max + ") but was " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Retry POST (other than a search) and PATCH on 429 and 503 too. Only for servers that
     * answer those before doing any work (fhirguard does) or requests that are safe to repeat
     * (a conditional create). 502 and 504 are never retried for them. Default false.
     */
    public Builder retryNonIdempotent(boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
      return this;
    }

    /** The clock and sleeper of the waits (tests). Default {@link RetryClock#system()}. */
    public Builder clock(RetryClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative but was " + value);
      }
      return value;
    }
  }
}
