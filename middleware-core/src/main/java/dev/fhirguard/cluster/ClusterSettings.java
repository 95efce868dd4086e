package dev.fhirguard.cluster;

import dev.fhirguard.FhirGuardConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a cluster store, as validated values. The {@code fhirguard.cluster.*} keys map
 * one to one (docs/configuration.md, "Cluster"); the last three come from the guard's own
 * settings. Build with {@link #builder(String)}; {@link #toString()} masks the password.
 *
 * @param url where the shared store is, e.g. {@code redis://host:6379/0} or {@code rediss://...}
 *     (may hold a user name; a password here or in {@code password}, not both)
 * @param password the store's password, or {@code null}
 * @param keyPrefix put before every key, so several applications can share one store
 * @param timeout the longest a request waits for the shared store before its fallback answers
 * @param connectTimeout the longest a connection attempt takes (at start-up and in the
 *     background)
 * @param replicas how many replicas share the store: a fallback bucket holds capacity ÷ replicas
 * @param required whether start-up fails when the store cannot be reached (else it starts with
 *     the fallbacks and connects in the background)
 * @param shareAddressLimit whether the per-address buckets in front of authentication are shared
 *     too; when false they stay local, sized capacity ÷ replicas, so a flood costs no store call
 * @param maintenanceSyncInterval how often each replica reads the shared maintenance switch
 * @param rateLimitSync {@link Duration#ZERO}: every decision asks the store (exact); more: a
 *     replica may decide locally for up to this long between synchronizations (fewer round trips,
 *     a client may then get a little more than its limit)
 * @param breakerFailureRateThreshold the percentage of failed store calls that opens the breaker
 * @param breakerSlidingWindowSize the most recent calls the failure rate is computed over
 * @param breakerMinimumNumberOfCalls the calls recorded before the rate is computed
 * @param breakerWaitInOpenState how long an open breaker sends every call to the fallback before
 *     it tries the store again
 * @param fallbackMaxBuckets the most fallback buckets kept in memory ({@code
 *     fhirguard.rate-limit.max-clients})
 * @param exportJobTtl how long an export lease lasts without a poll ({@code
 *     fhirguard.export.job-ttl})
 * @param exportMinPollInterval the shortest time between two polls of a job ({@code
 *     fhirguard.export.min-poll-interval}; zero: no pace)
 */
public record ClusterSettings(
    String url,
    String password,
    String keyPrefix,
    Duration timeout,
    Duration connectTimeout,
    int replicas,
    boolean required,
    boolean shareAddressLimit,
    Duration maintenanceSyncInterval,
    Duration rateLimitSync,
    int breakerFailureRateThreshold,
    int breakerSlidingWindowSize,
    int breakerMinimumNumberOfCalls,
    Duration breakerWaitInOpenState,
    long fallbackMaxBuckets,
    Duration exportJobTtl,
    Duration exportMinPollInterval) {

  public ClusterSettings {
    List<String> problems = new ArrayList<>();
    if (url == null || url.isBlank()) {
      problems.add("fhirguard.cluster.redis-url: required (redis://host:port or rediss://host:port)");
    }
    if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.length() > 64) {
      problems.add("fhirguard.cluster.key-prefix: 1 to 64 characters");
    }
    check(problems, "timeout", timeout, Duration.ofMillis(10), Duration.ofSeconds(10));
    check(problems, "connect-timeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(1));
    check(problems, "replicas", replicas, 1, 1000);
    check(problems, "maintenance-sync-interval", maintenanceSyncInterval, Duration.ofMillis(100),
        Duration.ofMinutes(1));
    check(problems, "rate-limit-sync", rateLimitSync, Duration.ZERO, Duration.ofSeconds(10));
    check(problems, "breaker.failure-rate-threshold", breakerFailureRateThreshold, 1, 100);
    check(problems, "breaker.sliding-window-size", breakerSlidingWindowSize, 1, 10_000);
    check(problems, "breaker.minimum-number-of-calls", breakerMinimumNumberOfCalls, 1,
        breakerSlidingWindowSize);
    check(problems, "breaker.wait-duration-in-open-state", breakerWaitInOpenState,
        Duration.ofMillis(100), Duration.ofMinutes(10));
    if (fallbackMaxBuckets < 1) {
      problems.add("fallbackMaxBuckets (fhirguard.rate-limit.max-clients): 1 or more");
    }
    if (exportJobTtl == null || exportJobTtl.toMillis() < 1) {
      problems.add("exportJobTtl (fhirguard.export.job-ttl): 1ms or more");
    }
    if (exportMinPollInterval == null || exportMinPollInterval.isNegative()) {
      problems.add("exportMinPollInterval (fhirguard.export.min-poll-interval): 0s or more");
    }
    if (!problems.isEmpty()) {
      throw new FhirGuardConfigException(problems);
    }
  }

  /** Settings with the defaults for the store at {@code url}. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String toString() {
    return "ClusterSettings[url=" + maskedUrl() + ", password="
        + (password == null ? "(none)" : "****") + ", keyPrefix=" + keyPrefix + ", timeout="
        + timeout + ", connectTimeout=" + connectTimeout + ", replicas=" + replicas
        + ", required=" + required + ", shareAddressLimit=" + shareAddressLimit
        + ", maintenanceSyncInterval=" + maintenanceSyncInterval + ", rateLimitSync="
        + rateLimitSync + ", breaker=" + breakerFailureRateThreshold + "%/"
        + breakerSlidingWindowSize + "/" + breakerMinimumNumberOfCalls + "/"
        + breakerWaitInOpenState + ", fallbackMaxBuckets=" + fallbackMaxBuckets
        + ", exportJobTtl=" + exportJobTtl + ", exportMinPollInterval=" + exportMinPollInterval
        + "]";
  }

  /**
   * The URL with any password in it masked: {@code redis://user:****@host:6379}; a lone user-info
   * part ({@code redis://secret@host}, a password to Redis clients) is masked whole.
   */
  public String maskedUrl() {
    String text = url.trim();
    int scheme = text.indexOf("://");
    int authorityStart = scheme < 0 ? 0 : scheme + 3;
    int authorityEnd = text.indexOf('/', authorityStart);
    String authority =
        text.substring(authorityStart, authorityEnd < 0 ? text.length() : authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    String userInfo = authority.substring(0, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    return text.substring(0, authorityStart) + masked + text.substring(authorityStart + at);
  }

  private static void check(List<String> problems, String key, Duration value, Duration min,
      Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add("fhirguard.cluster." + key + ": a duration from " + min + " to " + max);
    }
  }

  private static void check(List<String> problems, String key, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add("fhirguard.cluster." + key + ": an integer from " + min + " to " + max);
    }
  }

  /** Fills the settings not given with their defaults. */
  public static final class Builder {

    private final String url;
    private String password;
    private String keyPrefix = "fhirguard:";
    private Duration timeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private int replicas = 1;
    private boolean required;
    private boolean shareAddressLimit;
    private Duration maintenanceSyncInterval = Duration.ofSeconds(1);
    private Duration rateLimitSync = Duration.ZERO;
    private int breakerFailureRateThreshold = 50;
    private int breakerSlidingWindowSize = 20;
    private int breakerMinimumNumberOfCalls = 5;
    private Duration breakerWaitInOpenState = Duration.ofSeconds(5);
    private long fallbackMaxBuckets = 100_000;
    private Duration exportJobTtl = Duration.ofHours(1);
    private Duration exportMinPollInterval = Duration.ofSeconds(2);

    private Builder(String url) {
      this.url = url;
    }

    private Builder(ClusterSettings from) {
      url = from.url;
      password = from.password;
      keyPrefix = from.keyPrefix;
      timeout = from.timeout;
      connectTimeout = from.connectTimeout;
      replicas = from.replicas;
      required = from.required;
      shareAddressLimit = from.shareAddressLimit;
      maintenanceSyncInterval = from.maintenanceSyncInterval;
      rateLimitSync = from.rateLimitSync;
      breakerFailureRateThreshold = from.breakerFailureRateThreshold;
      breakerSlidingWindowSize = from.breakerSlidingWindowSize;
      breakerMinimumNumberOfCalls = from.breakerMinimumNumberOfCalls;
      breakerWaitInOpenState = from.breakerWaitInOpenState;
      fallbackMaxBuckets = from.fallbackMaxBuckets;
      exportJobTtl = from.exportJobTtl;
      exportMinPollInterval = from.exportMinPollInterval;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder required(boolean required) {
      this.required = required;
      return this;
    }

    public Builder shareAddressLimit(boolean shareAddressLimit) {
      this.shareAddressLimit = shareAddressLimit;
      return this;
    }

    public Builder maintenanceSyncInterval(Duration interval) {
      this.maintenanceSyncInterval = interval;
      return this;
    }

    public Builder rateLimitSync(Duration rateLimitSync) {
      this.rateLimitSync = rateLimitSync;
      return this;
    }

    /** The store's circuit breaker: failure-rate threshold (%), window, minimum calls, wait. */
    public Builder breaker(int failureRateThreshold, int slidingWindowSize,
        int minimumNumberOfCalls, Duration waitInOpenState) {
      this.breakerFailureRateThreshold = failureRateThreshold;
      this.breakerSlidingWindowSize = slidingWindowSize;
      this.breakerMinimumNumberOfCalls = minimumNumberOfCalls;
      this.breakerWaitInOpenState = waitInOpenState;
      return this;
    }

    public Builder fallbackMaxBuckets(long fallbackMaxBuckets) {
      this.fallbackMaxBuckets = fallbackMaxBuckets;
      return this;
    }

    /** The export job TTL and minimum poll interval (the guard's {@code fhirguard.export.*}). */
    public Builder export(Duration jobTtl, Duration minPollInterval) {
      this.exportJobTtl = jobTtl;
      this.exportMinPollInterval = minPollInterval;
      return this;
    }

    /** @throws FhirGuardConfigException listing every setting out of range */
    public ClusterSettings build() {
      return new ClusterSettings(url, password, keyPrefix, timeout, connectTimeout, replicas,
          required, shareAddressLimit, maintenanceSyncInterval, rateLimitSync,
          breakerFailureRateThreshold, breakerSlidingWindowSize, breakerMinimumNumberOfCalls,
          breakerWaitInOpenState, fallbackMaxBuckets, exportJobTtl, exportMinPollInterval);
    }
  }
}
