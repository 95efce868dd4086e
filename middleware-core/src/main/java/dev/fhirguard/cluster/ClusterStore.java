package dev.fhirguard.cluster;

import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.RateLimitStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * What the replicas of one FHIR server share: rate-limit buckets, bulk export leases and the
 * maintenance switch. None of them ever fails a request because the shared store fails: while it
 * cannot be reached, buckets fall back to local ones sized capacity ÷ replicas, export slots to
 * this replica's own, and the switch keeps its last known state; all are shared again as soon as
 * the store is back. Thread-safe; open one per application and close it at shutdown.
 */
public interface ClusterStore extends AutoCloseable {

  /** The shared token buckets, to plug in with {@code FhirGuard.Builder#rateLimitStore}. */
  RateLimitStore rateLimits();

  /** The shared bulk export slots and poll pace. */
  ExportLeases exportLeases();

  /** The shared maintenance switch. */
  SharedSwitch maintenance();

  /** Where the store stands now; costs no I/O. */
  ClusterStatus status();

  /** Stops background work and closes the connections; the fallbacks answer afterwards. */
  @Override
  void close();

  /**
   * Opens the store of the provider on the class path that serves the scheme of {@code
   * settings.url()} (for {@code redis://} and {@code rediss://}: the {@code fhirguard-redis} jar).
   *
   * @throws FhirGuardConfigException when the URL has no scheme or no provider serves it
   * @throws ClusterUnavailableException as {@link ClusterStoreProvider#create} does
   */
  static ClusterStore open(ClusterSettings settings) {
    String scheme = schemeOf(settings.url());
    for (ClusterStoreProvider provider : ServiceLoader.load(ClusterStoreProvider.class)) {
      if (provider.schemes().contains(scheme)) {
        return provider.create(settings);
      }
    }
    throw new FhirGuardConfigException(List.of("fhirguard.cluster.redis-url: no cluster store"
        + " serves '" + scheme + "://' URLs; for redis:// and rediss:// add the"
        + " dev.fhirguard:fhirguard-redis jar to the class path"));
  }

  private static String schemeOf(String url) {
    String scheme;
    try {
      scheme = new URI(url.trim()).getScheme();
    } catch (URISyntaxException e) {
      scheme = null;
    }
    if (scheme == null) {
      throw new FhirGuardConfigException(List.of("fhirguard.cluster.redis-url: not a URL with a scheme"
          + " (expected redis://host:port or rediss://host:port)"));
    }
    return scheme.toLowerCase(Locale.ROOT);
  }
}
