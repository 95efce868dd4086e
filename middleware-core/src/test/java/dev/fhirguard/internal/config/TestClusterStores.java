package dev.fhirguard.internal.config;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ClusterStoreProvider;
import java.util.Set;

/**
 * A provider registered for the core's tests only, so that the loader accepts a cluster URL of
 * its scheme; it opens nothing (the real stores are tested in fhirguard-redis and the sample).
 */
public final class TestClusterStores implements ClusterStoreProvider {

  static final String SCHEME = "config-test";

  @Override
  public Set<String> schemes() {
    return Set.of(SCHEME);
  }

  @Override
  public ClusterStore create(ClusterSettings settings) {
    throw new UnsupportedOperationException("configuration tests only");
  }
}
