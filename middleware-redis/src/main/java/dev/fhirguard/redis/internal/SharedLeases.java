package dev.fhirguard.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirguard.cluster.ExportLeases;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Export leases shared through Redis, with this replica's own as the fallback: a kick-off while
 * Redis cannot be reached reserves a local slot, and a job it starts is followed locally to its
 * end. A slot freed while Redis could not be told so is freed there once it answers again
 * (besides expiring with its lease). A client found without any lease is taken to have none for
 * a short while (at most a second, at most the minimum poll interval), so its other requests
 * cost Redis nothing: a job another replica starts is recognized here that much later, no later
 * than its first poll is allowed.
 */
final class SharedLeases implements ExportLeases {

  /** The most frees kept for Redis while it is down; past it, leases just expire. */
  private static final int MAX_PENDING = 10_000;

  private final StoreCalls calls;
  private final RedisLeases redis;
  private final LocalLeases local;
  private final Cache<String, Boolean> withoutLeases;
  private final Queue<Runnable> pendingFrees = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * @param quiet how long a client found without leases is taken to have none, without asking
   *     Redis again (zero: always ask): every GET of a client may be a status poll, and this
   *     spares most of them a round trip
   */
  SharedLeases(StoreCalls calls, RedisLeases redis, LocalLeases local, Duration quiet,
      long maxClients) {
    this.calls = calls;
    this.redis = redis;
    this.local = local;
    this.withoutLeases = quiet.isZero() ? null : Caffeine.newBuilder()
        .expireAfterWrite(quiet)
        .maximumSize(maxClients)
        .build();
  }

  @Override
  public Reservation reserve(String clientKey, int max) {
    return calls.call(() -> {
      Reservation reservation = new Reservation(clientKey, ReservationIds.next());
      RedisLeases.Reserved reserved = redis.reserve(reservation, max);
      if (reserved.expired() > 0) {
        FailureReport.LOG.info("{} bulk export slot(s) expired (the kick-off or the status URL"
            + " went unanswered or unpolled for the job TTL): freed", reserved.expired());
      }
      if (reserved.reserved()) {
        forget(clientKey);
      }
      return reserved.reserved() ? reservation : null;
    }, () -> local.reserve(clientKey, max));
  }

  @Override
  public void started(Reservation reservation, String statusKey) {
    if (local.holds(reservation)) { // reserved while Redis was down: followed here to its end
      local.started(reservation, statusKey);
      return;
    }
    forget(reservation.clientKey());
    calls.run(() -> redis.started(reservation, statusKey),
        () -> local.started(reservation, statusKey));
  }

  @Override
  public void release(Reservation reservation) {
    if (local.holds(reservation)) {
      local.release(reservation);
      return;
    }
    Runnable free = () -> redis.release(reservation);
    calls.run(free, () -> later(free));
  }

  @Override
  public boolean isRunning(String clientKey, String statusKey) {
    if (local.isRunning(clientKey, statusKey)) {
      return true;
    }
    if (withoutLeases != null && withoutLeases.getIfPresent(clientKey) != null) {
      return false;
    }
    return calls.call(() -> {
      RedisLeases.Running running = redis.isRunning(clientKey, statusKey);
      if (!running.anyLease() && withoutLeases != null) {
        withoutLeases.put(clientKey, Boolean.TRUE);
      }
      return running.running();
    }, () -> false);
  }

  @Override
  public Duration poll(String clientKey, String statusKey) {
    if (local.isRunning(clientKey, statusKey)) {
      return local.poll(clientKey, statusKey);
    }
    return calls.call(() -> redis.poll(clientKey, statusKey), () -> Duration.ZERO);
  }

  @Override
  public void pollNotBefore(String clientKey, String statusKey, Duration wait) {
    if (local.isRunning(clientKey, statusKey)) {
      local.pollNotBefore(clientKey, statusKey, wait);
      return;
    }
    calls.run(() -> redis.pollNotBefore(clientKey, statusKey, wait), () -> { });
  }

  @Override
  public void ended(String clientKey, String statusKey) {
    if (local.isRunning(clientKey, statusKey)) {
      local.ended(clientKey, statusKey);
      return;
    }
    Runnable free = () -> redis.ended(clientKey, statusKey);
    calls.run(free, () -> later(free));
  }

  /** Tells Redis the frees it missed; stops at the first that fails (run in the background). */
  void retryPendingFrees() {
    Runnable free;
    while ((free = pendingFrees.peek()) != null) {
      Runnable next = free;
      boolean done = calls.call(() -> {
        next.run();
        return true;
      }, () -> false);
      if (!done) {
        return;
      }
      pendingFrees.remove(next);
      pending.decrementAndGet();
    }
  }

  /** This replica gives the client a lease: no longer taken to have none. */
  private void forget(String clientKey) {
    if (withoutLeases != null) {
      withoutLeases.invalidate(clientKey);
    }
  }

  private void later(Runnable free) {
    if (pending.incrementAndGet() <= MAX_PENDING) {
      pendingFrees.add(free);
    } else {
      pending.decrementAndGet();
    }
  }
}
