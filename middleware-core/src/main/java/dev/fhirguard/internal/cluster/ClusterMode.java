package dev.fhirguard.internal.cluster;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStatus;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.cluster.SharedSwitch;
import dev.fhirguard.internal.config.ClusterSettingKeys;
import dev.fhirguard.internal.config.ResolvedSettings;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a guard shares with the other replicas: nothing without {@code fhirguard.cluster.redis-url};
 * else the rate-limit buckets, export leases and maintenance switch of the store opened at
 * start-up (in fallback, with a WARN, when it cannot be reached and is not required).
 */
public final class ClusterMode implements AutoCloseable {

  private static final Supplier<String> LOCAL = () -> "local";
  private static final Supplier<String> SHARED = () -> "shared";

  private final ClusterStore store;
  private final boolean shareAddressLimit;

  private ClusterMode(ClusterStore store, boolean shareAddressLimit) {
    this.store = store;
    this.shareAddressLimit = shareAddressLimit;
  }

  /**
   * Opens the store of the settings, if any.
   *
   * @throws dev.fhirguard.cluster.ClusterUnavailableException when the store cannot be reached
   *     and {@code fhirguard.cluster.required} is true
   */
  public static ClusterMode open(ResolvedSettings settings) {
    Optional<ClusterSettings> cluster = ClusterSettingKeys.of(settings);
    return new ClusterMode(cluster.map(ClusterStore::open).orElse(null),
        cluster.map(ClusterSettings::shareAddressLimit).orElse(false));
  }

  /** The bucket store: {@code given} when there is one, else the shared one, else {@code null}. */
  public RateLimitStore rateLimits(RateLimitStore given) {
    return given != null || store == null ? given : store.rateLimits();
  }

  /**
   * Which store decides the rate limits now, as the listeners are told: {@code local} (buckets in
   * memory, and the per-address buckets a cluster keeps local), {@code shared} (the cluster's
   * store, or one {@code given}), or {@code fallback} (the cluster store cannot be reached: this
   * replica's share decides).
   *
   * @param addressLimit whether for the per-address limit in front of authentication
   */
  public Supplier<String> decidingStore(RateLimitStore given, boolean addressLimit) {
    if (given != null) {
      return SHARED;
    }
    if (store == null || addressLimit && !shareAddressLimit) {
      return LOCAL;
    }
    return () -> store.status().shared() ? "shared" : "fallback";
  }

  /** Where the cluster store stands, or {@code null} outside cluster mode; costs no I/O. */
  public ClusterStatus status() {
    return store == null ? null : store.status();
  }

  /** The shared export leases, or {@code null} when each replica keeps its own. */
  public ExportLeases exportLeases() {
    return store == null ? null : store.exportLeases();
  }

  /** The shared maintenance switch, or {@code null} when each replica has its own. */
  public SharedSwitch maintenance() {
    return store == null ? null : store.maintenance();
  }

  /** Closes the store; the fallbacks answer afterwards. */
  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
