package dev.fhirguard.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.cluster.ExportLeases;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Export leases of this replica alone, the fallback while Redis cannot be reached: the same rules
 * as the shared ones, in memory, by this JVM's monotonic clock.
 */
final class LocalLeases implements ExportLeases {

  private final long ttlNanos;
  private final long minPollNanos;
  private final Cache<String, ClientLeases> clients;

  LocalLeases(Duration ttl, Duration minPollInterval, long maxClients) {
    this.ttlNanos = ttl.toNanos();
    this.minPollNanos = minPollInterval.toNanos();
    this.clients = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(ttl).build();
  }

  @Override
  public Reservation reserve(String clientKey, int max) {
    Reservation reservation = new Reservation(clientKey, ReservationIds.next());
    boolean reserved = clients.get(clientKey, k -> new ClientLeases())
        .reserve(RedisKeys.reservation(reservation.id()), max, System.nanoTime(), ttlNanos);
    return reserved ? reservation : null;
  }

  /** Whether this replica holds {@code reservation} (made while Redis could not be reached). */
  boolean holds(Reservation reservation) {
    ClientLeases leases = clients.getIfPresent(reservation.clientKey());
    return leases != null && leases.has(RedisKeys.reservation(reservation.id()), System.nanoTime());
  }

  @Override
  public void started(Reservation reservation, String statusKey) {
    long now = System.nanoTime();
    clients.get(reservation.clientKey(), k -> new ClientLeases()).started(
        RedisKeys.reservation(reservation.id()), RedisKeys.job(statusKey), now, ttlNanos, now);
  }

  @Override
  public void release(Reservation reservation) {
    ClientLeases leases = clients.getIfPresent(reservation.clientKey());
    if (leases != null) {
      leases.remove(RedisKeys.reservation(reservation.id()));
    }
  }

  @Override
  public boolean isRunning(String clientKey, String statusKey) {
    ClientLeases leases = clients.getIfPresent(clientKey);
    return leases != null && leases.has(RedisKeys.job(statusKey), System.nanoTime());
  }

  @Override
  public Duration poll(String clientKey, String statusKey) {
    ClientLeases leases = clients.getIfPresent(clientKey);
    return leases == null ? Duration.ZERO : Duration.ofNanos(leases.poll(
        RedisKeys.job(statusKey), System.nanoTime(), ttlNanos, minPollNanos));
  }

  @Override
  public void pollNotBefore(String clientKey, String statusKey, Duration wait) {
    ClientLeases leases = clients.getIfPresent(clientKey);
    if (leases != null) {
      long now = System.nanoTime();
      leases.pollAt(RedisKeys.job(statusKey), now, now + Math.max(0, wait.toNanos()));
    }
  }

  @Override
  public void ended(String clientKey, String statusKey) {
    ClientLeases leases = clients.getIfPresent(clientKey);
    if (leases != null) {
      leases.remove(RedisKeys.job(statusKey));
    }
  }

  /** One client's leases by expiry (nano time) and the next poll time of its jobs. */
  private static final class ClientLeases {

    private final Map<String, Long> expiryByMember = new HashMap<>();
    private final Map<String, Long> nextPollByJob = new HashMap<>();

    synchronized boolean reserve(String member, int max, long now, long ttl) {
      expiryByMember.entrySet().removeIf(lease -> {
        boolean expired = lease.getValue() - now <= 0;
        if (expired) {
          nextPollByJob.remove(lease.getKey());
        }
        return expired;
      });
      if (max > 0 && expiryByMember.size() >= max) {
        return false;
      }
      expiryByMember.put(member, now + ttl);
      return true;
    }

    synchronized void started(String reservation, String job, long now, long ttl, long firstPoll) {
      expiryByMember.remove(reservation);
      expiryByMember.put(job, now + ttl);
      nextPollByJob.put(job, firstPoll);
    }

    synchronized boolean has(String member, long now) {
      Long expiry = expiryByMember.get(member);
      return expiry != null && expiry - now > 0;
    }

    synchronized long poll(String job, long now, long ttl, long minInterval) {
      if (!has(job, now)) {
        return 0;
      }
      long due = nextPollByJob.getOrDefault(job, now);
      if (due - now > 0) {
        return due - now;
      }
      expiryByMember.put(job, now + ttl);
      nextPollByJob.put(job, now + minInterval);
      return 0;
    }

    synchronized void pollAt(String job, long now, long due) {
      if (has(job, now)) {
        nextPollByJob.put(job, due);
      }
    }

    synchronized void remove(String member) {
      expiryByMember.remove(member);
      nextPollByJob.remove(member);
    }
  }
}
