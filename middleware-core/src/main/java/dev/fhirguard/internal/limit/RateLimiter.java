package dev.fhirguard.internal.limit;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.RateLimitStore.Decision;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.internal.outcome.Failure;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One kind of rate limit (per client, or per address): takes a request's cost from its key's
 * bucket, and tells the client where it stands in the response headers.
 */
public final class RateLimiter {

  private final RateLimitStore store;
  private final Limit general;
  private final Map<String, Limit> byName;
  private final RateLimitHeaders headers;
  private final ErrorCode refusal;
  private final StoreFailures storeFailures = new StoreFailures();
  private final Events events;

  /**
   * What the listeners are told of each decision.
   *
   * @param limit {@code client}, {@code anonymous} or {@code address}
   * @param store which store decides now: {@code local}, {@code shared} or {@code fallback}
   */
  record Events(GuardEvents listeners, String limit, Supplier<String> store) {}

  /**
   * @param byName policies that override {@code general} for some names (client ids)
   * @param headers the headers to send, or {@code null} for none
   */
  RateLimiter(RateLimitStore store, Policy general, Map<String, Policy> byName,
      RateLimitHeaders headers, ErrorCode refusal, Events events) {
    this.store = store;
    this.events = events;
    this.headers = headers;
    this.general = limit(general);
    Map<String, Limit> limits = new HashMap<>();
    byName.forEach((name, policy) -> limits.put(name, limit(policy)));
    this.byName = Map.copyOf(limits);
    this.refusal = refusal;
  }

  /** A policy with its headers' fixed parts ({@code null} without headers). */
  private record Limit(Policy policy, RateLimitHeaders.Fixed fixed) {}

  private Limit limit(Policy policy) {
    return new Limit(policy, headers == null ? null : headers.fixed(policy));
  }

  /**
   * Takes {@code cost} tokens (at most the bucket's capacity) from the bucket of {@code key} and
   * writes the rate-limit headers.
   *
   * @param name the name per-name policies are looked up by, or {@code null}
   * @return {@code null} when the request may proceed, else the 429 to answer
   */
  Failure take(String key, String name, long cost, HttpServletResponse response) {
    Limit limit = name == null ? general : byName.getOrDefault(name, general);
    Policy policy = limit.policy();
    Decision decision;
    try {
      decision = store.tryConsume(key, policy, Math.min(cost, policy.capacity()));
    } catch (RuntimeException storeDown) {
      storeFailures.failed(storeDown);
      return null; // fail open: a broken store must not take the whole server down
    }
    if (events.listeners().any()) {
      events.listeners().rateLimit(events.limit(), decision.allowed(), events.store().get());
    }
    if (headers != null) {
      headers.write(response, limit.fixed(), decision);
    }
    return decision.allowed() ? null : refused(decision);
  }

  private Failure refused(Decision decision) {
    String reason = refusal == ErrorCode.RATE_LIMITED
        ? "Rate limit exceeded." : "Too many requests from this network address.";
    return Failure.retryLater(
        refusal, reason, Duration.ofNanos(Math.max(1, decision.nanosToWait())));
  }
}
