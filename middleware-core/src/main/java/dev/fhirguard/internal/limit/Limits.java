package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.export.ExportJobs;
import dev.fhirguard.internal.export.ExportLimitStage;
import dev.fhirguard.internal.tracking.ClientKeys;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.config.LimitSettings;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Setting;
import dev.fhirguard.internal.chain.Stage;
import dev.fhirguard.internal.tracking.ClientAddresses;
import dev.fhirguard.internal.outcome.UpstreamClassifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rate and export limits of a guard, as pipeline stages built from its settings. */
public final class Limits {

  private final ResolvedSettings settings;
  private final ErrorResponder responder;
  private final Clock clock;
  private final RateLimitStore store;
  private final ClientKeys keys;
  private final RateLimitHeaders headers;
  private final UpstreamClassifier upstreams;
  private final ExportLeases leases;

  /**
   * @param store the bucket store, or {@code null} for buckets in memory
   * @param upstreams how the error boundary answers an exception (an export status URL that
   *     fails with one may have ended its job)
   */
  public Limits(ResolvedSettings settings, RateLimitStore store, ErrorResponder responder,
      UpstreamClassifier upstreams, Clock clock) {
    this(settings, store, null, responder, upstreams, clock);
  }

  /** @param leases the export leases every replica shares, or {@code null} for its own */
  public Limits(ResolvedSettings settings, RateLimitStore store, ExportLeases leases,
      ErrorResponder responder, UpstreamClassifier upstreams, Clock clock) {
    this.leases = leases;
    this.settings = settings;
    this.responder = responder;
    this.upstreams = upstreams;
    this.clock = clock;
    this.store = store;
    this.keys = new ClientKeys(new ClientAddresses(settings.get(AuthSettings.TRUSTED_PROXIES)));
    this.headers = RateLimitHeaders.of(settings.get(LimitSettings.RATE_LIMIT_HEADERS),
        settings.get(LimitSettings.RATE_LIMIT_IETF_HEADERS));
  }

  /** The per-address limit in front of authentication, or {@code null} when it is off. */
  public Stage addressStage() {
    if (!settings.get(LimitSettings.ADDRESS_LIMIT_ENABLED)) {
      return null;
    }
    Policy policy = new Policy("address", settings.get(LimitSettings.ADDRESS_LIMIT_CAPACITY),
        settings.get(LimitSettings.ADDRESS_LIMIT_PERIOD), false);
    RateLimitStore buckets = store != null ? store
        : new CaffeineBucketStore(settings.get(LimitSettings.ADDRESS_LIMIT_MAX_ADDRESSES), clock);
    // With the client limit on, every admitted request gets the client's standing there: the
    // address's standing would only be written to be overwritten.
    RateLimitHeaders shown = headers != null && settings.get(LimitSettings.RATE_LIMIT_ENABLED)
        ? headers.onRefusalOnly() : headers;
    return new AddressLimitStage(
        new RateLimiter(buckets, policy, Map.of(), shown, ErrorCode.ADDRESS_RATE_LIMITED),
        keys, responder);
  }

  /** The per-client rate limit and the export limits, in that order; those that are on. */
  public List<Stage> clientStages() {
    ExportJobs jobs = exportJobs();
    List<Stage> stages = new ArrayList<>();
    if (settings.get(LimitSettings.RATE_LIMIT_ENABLED)) {
      stages.add(new ClientLimitStage(
          clientLimiter(LimitSettings.RATE_LIMIT_MAX_CLIENTS),
          clientLimiter(LimitSettings.ADDRESS_LIMIT_MAX_ADDRESSES), keys, jobs,
          settings.get(LimitSettings.EXPORT_KICKOFF_COST),
          settings.get(LimitSettings.EXPORT_POLL_COST), responder));
    }
    if (jobs != null) {
      stages.add(new ExportLimitStage(jobs, keys,
          settings.get(LimitSettings.EXPORT_RETRY_AFTER), responder, upstreams));
    }
    return stages;
  }

  /**
   * A client limiter whose own buckets (unless a store is plugged in) are bounded by {@code bound}:
   * verified clients and requests without a token each have their own, so a flood from many
   * addresses cannot evict the buckets of the verified clients.
   */
  private RateLimiter clientLimiter(Setting<Integer> bound) {
    Policy general = clientPolicy(settings.get(LimitSettings.RATE_LIMIT_CAPACITY),
        settings.get(LimitSettings.RATE_LIMIT_PERIOD));
    Map<String, Integer> capacities = settings.named(LimitSettings.CLIENT_RATE_LIMIT_CAPACITY);
    Map<String, Duration> periods = settings.named(LimitSettings.CLIENT_RATE_LIMIT_PERIOD);
    Map<String, Policy> byClient = new HashMap<>();
    for (String client : union(capacities.keySet(), periods.keySet())) {
      byClient.put(client, clientPolicy(
          capacities.getOrDefault(client, (int) general.capacity()),
          periods.getOrDefault(client, general.period())));
    }
    RateLimitStore buckets = store != null ? store
        : new CaffeineBucketStore(settings.get(bound), clock);
    return new RateLimiter(buckets, general, byClient, headers, ErrorCode.RATE_LIMITED);
  }

  private Policy clientPolicy(int capacity, Duration period) {
    return new Policy("client", capacity, period,
        "interval".equals(settings.get(LimitSettings.RATE_LIMIT_REFILL)));
  }

  private ExportJobs exportJobs() {
    int max = settings.get(LimitSettings.EXPORT_MAX_CONCURRENT);
    Map<String, Integer> maxByClient = settings.named(LimitSettings.CLIENT_EXPORT_MAX_CONCURRENT);
    Duration minPoll = settings.get(LimitSettings.EXPORT_MIN_POLL_INTERVAL);
    if (max == 0 && maxByClient.isEmpty() && minPoll.isZero()) {
      return null;
    }
    return new ExportJobs(max, maxByClient, minPoll, settings.get(LimitSettings.EXPORT_JOB_TTL),
        settings.get(LimitSettings.RATE_LIMIT_MAX_CLIENTS), leases, clock);
  }

  private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(name -> !a.contains(name)).forEach(all::add);
    return all;
  }
}
