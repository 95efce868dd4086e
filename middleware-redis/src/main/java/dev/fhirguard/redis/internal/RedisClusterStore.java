package dev.fhirguard.redis.internal;

import dev.fhirguard.RateLimitStore;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStatus;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ClusterUnavailableException;
import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.cluster.SharedSwitch;
import io.lettuce.core.RedisCommandExecutionException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster store on Redis. At start it connects once (bounded by the connect timeout and the
 * timeout); when that fails it starts with the fallbacks, unless Redis is required. A background
 * thread then connects when it could not, writes missed frees and reads the maintenance switch,
 * every maintenance sync interval.
 */
public final class RedisClusterStore implements ClusterStore {

  private final RedisLink redis;
  private final StoreCalls calls;
  private final SharedBuckets buckets;
  private final SharedLeases leases;
  private final SharedMaintenance maintenance;
  private final ScheduledExecutorService background;

  private RedisClusterStore(ClusterSettings settings, RedisLink redis) {
    this.redis = redis;
    this.calls = new StoreCalls(redis, settings, Clock.systemUTC());
    RedisKeys keys = new RedisKeys(settings.keyPrefix());
    this.buckets = new SharedBuckets(calls, redis, keys, settings);
    this.leases = new SharedLeases(calls,
        new RedisLeases(redis, keys, settings.exportJobTtl(), settings.exportMinPollInterval()),
        new LocalLeases(settings.exportJobTtl(), settings.exportMinPollInterval(),
            settings.fallbackMaxBuckets()),
        min(settings.exportMinPollInterval(), Duration.ofSeconds(1)),
        settings.fallbackMaxBuckets());
    this.maintenance = new SharedMaintenance(calls, redis, keys);
    this.background = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "fhirguard-cluster-sync");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Opens the store on the Redis of {@code settings}.
   *
   * @throws dev.fhirguard.FhirGuardConfigException when the URL is not usable
   * @throws ClusterUnavailableException when Redis cannot be reached or refuses the credentials
   *     and {@code settings.required()}
   */
  public static RedisClusterStore open(ClusterSettings settings) {
    RedisEndpoint endpoint = RedisEndpoint.of(settings);
    RedisLink redis = new RedisLink(endpoint, settings);
    RedisClusterStore store = new RedisClusterStore(settings, redis);
    try {
      redis.connect();
      FailureReport.LOG.info("Cluster mode: rate limits, export slots and maintenance shared"
          + " through Redis at {}", endpoint);
    } catch (RuntimeException failure) {
      String problem = startProblem(endpoint, failure);
      if (settings.required()) {
        store.close();
        throw new ClusterUnavailableException(problem + " and fhirguard.cluster.required=true",
            failure);
      }
      String message = "{}: starting with this replica's fallback limits (rate-limit buckets at"
          + " capacity / {}); connecting in the background";
      if (isRefusal(failure)) { // a wrong password does not mend itself
        FailureReport.LOG.error(message, problem, settings.replicas());
      } else {
        FailureReport.LOG.warn(message, problem, settings.replicas());
      }
      store.calls.failedAtStart(failure);
    }
    store.maintenance.sync();
    long every = settings.maintenanceSyncInterval().toMillis();
    store.background.scheduleWithFixedDelay(store::sync, every, every, TimeUnit.MILLISECONDS);
    return store;
  }

  @Override
  public RateLimitStore rateLimits() {
    return buckets;
  }

  @Override
  public ExportLeases exportLeases() {
    return leases;
  }

  @Override
  public SharedSwitch maintenance() {
    return maintenance;
  }

  @Override
  public ClusterStatus status() {
    return calls.status();
  }

  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redis.close();
  }

  /** The background round; never throws, or the executor would stop running it. */
  private void sync() {
    try {
      if (!redis.isConnected()) {
        redis.connect();
        calls.connected();
      }
      leases.retryPendingFrees();
      maintenance.sync();
    } catch (RuntimeException failure) {
      calls.failed(failure);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String startProblem(RedisEndpoint endpoint, RuntimeException failure) {
    if (isRefusal(failure)) {
      return "Redis at " + endpoint + " refused the credentials ("
          + FailureReport.describe(failure) + "): check the user in fhirguard.cluster.redis-url and"
          + " fhirguard.cluster.password";
    }
    return "Redis at " + endpoint + " cannot be reached (" + FailureReport.describe(failure) + ")";
  }

  /** Whether Redis refused the credentials (WRONGPASS, NOAUTH, NOPERM, an AUTH error). */
  private static boolean isRefusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage() == null ? "" : cause.getMessage();
      if (cause instanceof RedisCommandExecutionException && (message.startsWith("WRONGPASS")
          || message.startsWith("NOAUTH") || message.startsWith("NOPERM")
          || message.contains("AUTH"))) {
        return true;
      }
    }
    return false;
  }
}
