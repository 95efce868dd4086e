package dev.fhirguard.cluster;

import java.util.Set;

/**
 * Makes {@link ClusterStore}s of one kind; found with {@link java.util.ServiceLoader} (a file
 * {@code META-INF/services/dev.fhirguard.cluster.ClusterStoreProvider} naming the class, which
 * needs a public no-argument constructor).
 */
public interface ClusterStoreProvider {

  /** The URL schemes this provider serves, lower case, e.g. {@code redis} and {@code rediss}. */
  Set<String> schemes();

  /**
   * Opens a store: connects, or starts in fallback when the shared store cannot be reached.
   *
   * @throws dev.fhirguard.FhirGuardConfigException when a setting is not usable (a bad URL)
   * @throws ClusterUnavailableException when the shared store cannot be reached and the settings
   *     say it is required
   */
  ClusterStore create(ClusterSettings settings);
}
