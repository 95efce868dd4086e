package dev.fhirguard.internal.config;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The settings of cluster mode ({@code fhirguard.cluster.*}): rate limits, export slots and
 * maintenance shared by the replicas through a store such as Redis (the {@code fhirguard-redis}
 * module). Without {@link #REDIS_URL} every replica keeps them to itself.
 */
public final class ClusterSettingKeys {

  /** The artifact that serves {@code redis://} and {@code rediss://} URLs. */
  static final String REDIS_ARTIFACT = "dev.fhirguard:fhirguard-redis";

  public static final Setting<Optional<String>> REDIS_URL =
      new Setting<>("fhirguard.cluster.redis-url", "URL", "",
          "The Redis every replica shares: redis://[user[:password]@]host[:port][/db], or"
              + " rediss:// for TLS (needs the dev.fhirguard:fhirguard-redis jar). Empty: each"
              + " replica keeps its limits, export slots and maintenance switch to itself.",
          false,
          text -> text.isEmpty() ? Optional.empty() : Optional.of(checkedUrl(text)),
          value -> value.orElse(""));

  public static final Setting<Optional<String>> PASSWORD =
      Setting.secret("fhirguard.cluster.password", 1,
          "Redis's password (AUTH; with a user in the URL, an ACL user's), masked wherever the"
              + " configuration is shown. A password may stand here or in the URL, not in both.");

  public static final Setting<String> KEY_PREFIX =
      Setting.text("fhirguard.cluster.key-prefix", "fhirguard:", ".{1,64}",
          "1 to 64 characters",
          "Put before every Redis key, so applications sharing one Redis keep apart.");

  public static final Setting<Duration> TIMEOUT =
      Setting.duration("fhirguard.cluster.timeout", "250ms", Duration.ofMillis(10),
          Duration.ofSeconds(10), "The longest a request waits for Redis (a whole rate-limit"
              + " decision, retries included); then this replica's fallback decides.");

  public static final Setting<Duration> CONNECT_TIMEOUT =
      Setting.duration("fhirguard.cluster.connect-timeout", "5s", Duration.ofMillis(100),
          Duration.ofMinutes(1), "The longest a connection attempt takes, handshake included:"
              + " at start-up and in the background while Redis is down.");

  public static final Setting<Integer> REPLICAS =
      Setting.integer("fhirguard.cluster.replicas", 1, 1, 1000,
          "How many replicas share Redis. While Redis is down each replica's fallback bucket"
              + " holds capacity / replicas (at least 1), so the cluster stays near the limit.");

  public static final Setting<Boolean> REQUIRED =
      Setting.bool("fhirguard.cluster.required", false,
          "Fail start-up when Redis cannot be reached or refuses the credentials. False: start"
              + " with the fallbacks, log a WARN (an ERROR for refused credentials) and connect"
              + " in the background.");

  public static final Setting<Boolean> SHARE_ADDRESS_LIMIT =
      Setting.bool("fhirguard.cluster.share-address-limit", false,
          "Share the per-address buckets in front of authentication too. False: they stay in"
              + " each replica, sized capacity / replicas, so a flood costs Redis nothing.");

  public static final Setting<Duration> MAINTENANCE_SYNC_INTERVAL =
      Setting.duration("fhirguard.cluster.maintenance-sync-interval", "1s",
          Duration.ofMillis(100), Duration.ofMinutes(1), "How often each replica reads the"
              + " shared maintenance switch; a change reaches every replica within this interval"
              + " plus the timeout.");

  public static final Setting<Duration> RATE_LIMIT_SYNC =
      Setting.duration("fhirguard.cluster.rate-limit-sync", "0s", Duration.ZERO,
          Duration.ofSeconds(10), "0s: every decision asks Redis (exact). More: a replica"
              + " decides from its own view of a bucket and synchronizes at least this often, so"
              + " a client may get a little more than its limit.");

  public static final Setting<Integer> BREAKER_FAILURE_RATE =
      Setting.integer("fhirguard.cluster.breaker.failure-rate-threshold", 50, 1, 100,
          "Percentage of failed or timed-out Redis calls that opens the breaker: every call then"
              + " goes to the fallback at once.");

  public static final Setting<Integer> BREAKER_WINDOW =
      Setting.integer("fhirguard.cluster.breaker.sliding-window-size", 20, 1, 10_000,
          "Number of most recent Redis calls the failure rate is computed over.");

  public static final Setting<Integer> BREAKER_MINIMUM_CALLS =
      Setting.integer("fhirguard.cluster.breaker.minimum-number-of-calls", 5, 1, 10_000,
          "Calls recorded before the failure rate is computed; at most sliding-window-size.");

  public static final Setting<Duration> BREAKER_WAIT =
      Setting.duration("fhirguard.cluster.breaker.wait-duration-in-open-state", "5s",
          Duration.ofMillis(100), Duration.ofMinutes(10), "How long an open breaker keeps every"
              + " call on the fallback before probe calls try Redis again.");

  static final List<Setting<?>> ALL = List.of(REDIS_URL, PASSWORD, KEY_PREFIX, TIMEOUT,
      CONNECT_TIMEOUT, REPLICAS, REQUIRED, SHARE_ADDRESS_LIMIT, MAINTENANCE_SYNC_INTERVAL,
      RATE_LIMIT_SYNC, BREAKER_FAILURE_RATE, BREAKER_WINDOW, BREAKER_MINIMUM_CALLS,
      BREAKER_WAIT);

  private ClusterSettingKeys() {}

  /** The cluster settings, or empty when no URL is set (each replica on its own). */
  public static Optional<ClusterSettings> of(ResolvedSettings settings) {
    return settings.get(REDIS_URL).map(url -> build(url, settings::get));
  }

  /**
   * The problems of the cluster settings together: another cluster key set without a URL, rules
   * across keys, and a URL whose scheme no store on the class path serves.
   */
  static List<String> check(Map<Setting<?>, Object> values) {
    List<String> problems = new ArrayList<>();
    Optional<?> url = (Optional<?>) values.get(REDIS_URL);
    if (url == null) {
      return problems; // the URL itself is reported already
    }
    if (url.isEmpty()) {
      ALL.stream().filter(s -> s != REDIS_URL && values.containsKey(s)
              && !values.get(s).equals(s.parse(s.defaultValue())))
          .forEach(s -> problems.add(s.key() + ": set, but " + REDIS_URL.key() + " is not"));
      return problems;
    }
    String text = (String) url.get();
    if (!servedScheme(text)) {
      problems.add(REDIS_URL.key() + ": no cluster store on the class path serves '"
          + scheme(text) + "://' URLs; for redis:// and rediss:// add the " + REDIS_ARTIFACT
          + " jar");
    }
    if (hasPassword(text) && ((Optional<?>) values.get(PASSWORD)).isPresent()) {
      problems.add(REDIS_URL.key() + ": holds a password and " + PASSWORD.key()
          + " is set too: give it in one place");
    }
    if (values.keySet().containsAll(ALL)) {
      try {
        build(text, setting -> values.get(setting));
      } catch (FhirGuardConfigException e) {
        problems.addAll(e.problems());
      }
    }
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static ClusterSettings build(String url, Values values) {
    return ClusterSettings.builder(url)
        .password(((Optional<String>) values.get(PASSWORD)).orElse(null))
        .keyPrefix((String) values.get(KEY_PREFIX))
        .timeout((Duration) values.get(TIMEOUT))
        .connectTimeout((Duration) values.get(CONNECT_TIMEOUT))
        .replicas((Integer) values.get(REPLICAS))
        .required((Boolean) values.get(REQUIRED))
        .shareAddressLimit((Boolean) values.get(SHARE_ADDRESS_LIMIT))
        .maintenanceSyncInterval((Duration) values.get(MAINTENANCE_SYNC_INTERVAL))
        .rateLimitSync((Duration) values.get(RATE_LIMIT_SYNC))
        .breaker((Integer) values.get(BREAKER_FAILURE_RATE), (Integer) values.get(BREAKER_WINDOW),
            (Integer) values.get(BREAKER_MINIMUM_CALLS), (Duration) values.get(BREAKER_WAIT))
        .fallbackMaxBuckets(orDefault(values, LimitSettings.RATE_LIMIT_MAX_CLIENTS))
        .export((Duration) orDefault(values, LimitSettings.EXPORT_JOB_TTL),
            (Duration) orDefault(values, LimitSettings.EXPORT_MIN_POLL_INTERVAL))
        .build();
  }

  /** A setting's value, or its default when it did not parse (reported on its own). */
  private static <T> T orDefault(Values values, Setting<T> setting) {
    Object value = values.get(setting);
    @SuppressWarnings("unchecked")
    T typed = value != null ? (T) value : setting.parse(setting.defaultValue());
    return typed;
  }

  /** Where {@link #build} reads values: the resolved settings, or the loader's map. */
  private interface Values {
    Object get(Setting<?> setting);
  }

  /**
   * A URL with a scheme and a host, and no query or fragment (the other settings are keys of
   * their own). The message never quotes the text, which may hold a password.
   */
  private static String checkedUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected a URL such as redis://host:6379 (not valid at"
          + " index " + e.getIndex() + ")");
    }
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "expected a URL with a host such as redis://host:6379 or rediss://host:6379");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("expected no query or fragment: timeouts and the"
          + " password are fhirguard.cluster.* settings");
    }
    return text;
  }

  private static boolean servedScheme(String url) {
    String scheme = scheme(url);
    for (ClusterStoreProvider provider : ServiceLoader.load(ClusterStoreProvider.class)) {
      if (provider.schemes().contains(scheme)) {
        return true;
      }
    }
    return false;
  }

  private static String scheme(String url) {
    return URI.create(url).getScheme().toLowerCase(Locale.ROOT);
  }

  private static boolean hasPassword(String url) {
    String userInfo = URI.create(url).getRawUserInfo();
    return userInfo != null && !userInfo.isEmpty() && !userInfo.endsWith(":");
  }
}
