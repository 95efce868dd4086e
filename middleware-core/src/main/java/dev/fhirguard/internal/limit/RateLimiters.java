package dev.fhirguard.internal.limit;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.events.GuardEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rate limiters of a guard, built from its settings: their policies, their bucket stores (the
 * plugged-in store, or buckets in memory bounded per limiter) and their headers.
 */
public final class RateLimiters {

  private final GuardSettings settings;
  private final RateLimitStore store;
  private final Clock clock;
  private final RateLimitHeaders headers;
  private final GuardEvents events;
  private final Supplier<String> clientStore;
  private final Supplier<String> addressStore;

  /**
   * @param store the bucket store, or {@code null} for buckets in memory
   * @param clientStore which store decides the client limits now, for the listeners ({@code
   *     local}, {@code shared}, {@code fallback}); {@code addressStore} the same for the address
   *     limit
   */
  public RateLimiters(GuardSettings settings, RateLimitStore store, Clock clock,
      GuardEvents events, Supplier<String> clientStore, Supplier<String> addressStore) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.clientStore = clientStore;
    this.addressStore = addressStore;
    this.headers = RateLimitHeaders.of(settings.rateLimit().headers(),
        settings.rateLimit().ietfHeaders());
  }

  /** The per-address limiter in front of authentication. */
  public RateLimiter address() {
    GuardSettings.AddressLimit limit = settings.addressLimit();
    Policy policy = new Policy("address", limit.capacity(), limit.period(), false);
    RateLimitStore buckets = store != null ? store
        : new CaffeineBucketStore(limit.maxAddresses(), clock);
    // With the client limit on, every admitted request gets the client's standing there: the
    // address's standing would only be written to be overwritten.
    RateLimitHeaders shown = headers != null && settings.rateLimit().enabled()
        ? headers.onRefusalOnly() : headers;
    return new RateLimiter(buckets, policy, Map.of(), shown, ErrorCode.ADDRESS_RATE_LIMITED,
        new RateLimiter.Events(events, "address", addressStore));
  }

  /** The limiter of verified clients, its own buckets bounded by the rate limit's max clients. */
  public RateLimiter verifiedClients() {
    return client(settings.rateLimit().maxClients(), "client");
  }

  /**
   * The limiter of requests without a token (by address), its own buckets bounded by the address
   * limit's max addresses: a flood from many addresses cannot evict the verified clients' buckets.
   */
  public RateLimiter anonymousClients() {
    return client(settings.addressLimit().maxAddresses(), "anonymous");
  }

  private RateLimiter client(int bound, String limitName) {
    GuardSettings.RateLimit limit = settings.rateLimit();
    Policy general = clientPolicy(limit.capacity(), limit.period());
    Map<String, Integer> capacities = limit.capacityByClient();
    Map<String, Duration> periods = limit.periodByClient();
    Map<String, Policy> byClient = new HashMap<>();
    for (String client : union(capacities.keySet(), periods.keySet())) {
      byClient.put(client, clientPolicy(
          capacities.getOrDefault(client, (int) general.capacity()),
          periods.getOrDefault(client, general.period())));
    }
    RateLimitStore buckets = store != null ? store : new CaffeineBucketStore(bound, clock);
    return new RateLimiter(buckets, general, byClient, headers, ErrorCode.RATE_LIMITED,
        new RateLimiter.Events(events, limitName, clientStore));
  }

  private Policy clientPolicy(int capacity, Duration period) {
    return new Policy("client", capacity, period, settings.rateLimit().intervalRefill());
  }

  private static List<String> union(Set<String> a, Set<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(name -> !a.contains(name)).forEach(all::add);
    return all;
  }
}
