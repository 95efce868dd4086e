package dev.fhirguard.redis;

import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ClusterStoreProvider;
import dev.fhirguard.redis.internal.RedisClusterStore;
import java.util.Set;

/**
 * Cluster stores on Redis ({@code redis://} and {@code rediss://} URLs), found by {@link
 * ClusterStore#open(ClusterSettings)} through {@link java.util.ServiceLoader}.
 */
public final class RedisClusterStoreProvider implements ClusterStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public ClusterStore create(ClusterSettings settings) {
    return RedisClusterStore.open(settings);
  }
}
