package dev.fhirguard.internal.export;

import dev.fhirguard.cluster.ExportLeases;
import dev.fhirguard.cluster.ExportLeases.Reservation;
import dev.fhirguard.internal.limit.ClockTime;
import dev.fhirguard.internal.events.GuardEvents;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.internal.text.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bulk export jobs each client has running, as fhirguard sees them: a slot is reserved when a
 * kick-off arrives, becomes a job when the kick-off is answered 202 with a status URL, and is
 * freed when the job ends, is cancelled, or its status URL goes unpolled for the TTL. In cluster
 * mode the slots and the poll pace are the leases every replica shares, with the same rules.
 */
public final class ExportJobs {

  private final int defaultMax;
  private final Map<String, Integer> maxByClientId;
  private final Duration minPollInterval;
  private final Duration ttl;
  private final Clock clock;
  private final Cache<String, ClientJobs> clients;
  private final ExportLeases shared;
  private final GuardEvents events;
  /** The slots this replica's kick-offs and jobs hold now. */
  private final AtomicInteger active = new AtomicInteger();

  /**
   * @param shared the leases every replica shares, or {@code null} for this replica's own (in
   *     cluster mode this replica still keeps its own jobs, to count them, but decides nothing
   *     with them)
   */
  public ExportJobs(int defaultMax, Map<String, Integer> maxByClientId, Duration minPollInterval,
      Duration ttl, long maxClients, ExportLeases shared, Clock clock, GuardEvents events) {
    this.shared = shared;
    this.events = events;
    this.defaultMax = defaultMax;
    this.maxByClientId = Map.copyOf(maxByClientId);
    this.minPollInterval = minPollInterval;
    this.ttl = ttl;
    this.clock = clock;
    this.clients = Caffeine.newBuilder()
        .maximumSize(maxClients)
        .expireAfterAccess(ttl)
        .ticker(ClockTime.of(clock))
        // the log line of a client whose jobs all expired is written on Caffeine's executor,
        // outside the cache's locks
        .removalListener(this::dropped)
        .build();
  }

  /** The most jobs {@code clientId} may run at once ({@code null}: a client without a token). */
  int maxFor(String clientId) {
    return clientId == null ? defaultMax : maxByClientId.getOrDefault(clientId, defaultMax);
  }

  /** Reserves a slot for a kick-off; {@code null} when the client has all its slots taken. */
  Reservation reserve(String clientKey, int max) {
    Reservation reservation;
    if (shared != null) {
      reservation = shared.reserve(clientKey, max);
      if (reservation != null) {
        local(clientKey).reserve(0, clock.instant(), ttl);
      }
    } else {
      reservation = local(clientKey).reserve(max, clock.instant(), ttl)
          ? new Reservation(clientKey, "local") : null;
    }
    if (reservation == null) {
      events.exportSlot("refused", active.get());
    } else {
      changed("started", 1);
    }
    return reservation;
  }

  /**
   * Turns the reservation of a kick-off answered 202 into a job polled at {@code statusKey}; the
   * job counts even when the reservation was released already (above the client's limit, then).
   */
  void started(Reservation reservation, String statusKey, boolean released) {
    if (shared != null) {
      shared.started(reservation, statusKey);
    }
    ClientJobs jobs = local(reservation.clientKey());
    if (released) {
      jobs.reserve(0, clock.instant(), ttl);
      changed("started", 1);
    }
    jobs.started(statusKey, clock.instant());
  }

  /** Frees the reservation of a kick-off that did not start a job. */
  void release(Reservation reservation) {
    if (shared != null) {
      shared.release(reservation);
    }
    ClientJobs jobs = clients.getIfPresent(reservation.clientKey());
    if (jobs != null && jobs.release()) {
      changed("ended", -1);
    }
  }

  /** Whether any client has (or recently had) jobs: a cheap test before any key is built. */
  boolean anyTracked() {
    return shared != null || clients.estimatedSize() > 0;
  }

  /** Whether {@code statusKey} is the status URL of one of the client's running jobs. */
  boolean isRunning(String clientKey, String statusKey) {
    if (shared != null) {
      return shared.isRunning(clientKey, statusKey);
    }
    ClientJobs jobs = clients.getIfPresent(clientKey);
    return jobs != null && jobs.has(statusKey, clock.instant(), ttl);
  }

  /**
   * Records a status poll of a running job. The first poll after the kick-off is admitted at
   * once (a client may look right away whether its job has started); each later one no sooner
   * than the minimum interval, or the server's {@code Retry-After}, after the one before.
   *
   * @return zero when the poll may proceed, else how long the client must still wait
   */
  Duration poll(String clientKey, String statusKey) {
    ClientJobs jobs = clients.getIfPresent(clientKey);
    if (shared != null) {
      Duration wait = shared.poll(clientKey, statusKey);
      if (jobs != null && wait.isZero()) { // keeps this replica's count of its jobs alive
        jobs.poll(statusKey, clock.instant(), Duration.ZERO);
      }
      return wait;
    }
    return jobs == null ? Duration.ZERO : jobs.poll(statusKey, clock.instant(), minPollInterval);
  }

  /**
   * The server answered a poll of the job 202 with {@code Retry-After: retryAfter}: its next poll
   * waits that long (at most the TTL), and never less than the minimum interval. Without a minimum
   * interval polls are not paced at all.
   */
  void serverAsked(String clientKey, String statusKey, String retryAfter) {
    if (minPollInterval.isZero()) {
      return;
    }
    Instant now = clock.instant();
    Duration asked = RetryAfter.parse(retryAfter, now);
    if (shared != null && asked != null) { // the poll set the minimum interval; a longer wait
      Duration capped = asked.compareTo(ttl) > 0 ? ttl : asked;
      shared.pollNotBefore(clientKey, statusKey,
          capped.compareTo(minPollInterval) > 0 ? capped : minPollInterval);
      return;
    }
    ClientJobs jobs = clients.getIfPresent(clientKey);
    if (jobs != null && asked != null) {
      jobs.nextPollNotBefore(statusKey, now.plus(asked.compareTo(ttl) > 0 ? ttl : asked));
    }
  }

  /**
   * The {@code Retry-After} to send with a 202 of a kick-off or poll that has {@code retryAfter}:
   * the minimum interval in whole seconds when the server asks for less (or nothing), else {@code
   * null} (the server's own stands).
   */
  String retryAfterToSend(String retryAfter) {
    if (minPollInterval.isZero()) {
      return null;
    }
    Duration asked = RetryAfter.parse(retryAfter, clock.instant());
    return asked != null && asked.compareTo(minPollInterval) >= 0 ? null
        : String.valueOf(RetryAfter.seconds(minPollInterval));
  }

  /** Frees the slot of a job that completed, failed, was cancelled or is gone. */
  void ended(String clientKey, String statusKey) {
    if (shared != null) {
      shared.ended(clientKey, statusKey);
    }
    ClientJobs jobs = clients.getIfPresent(clientKey);
    if (jobs != null && jobs.ended(statusKey)) {
      changed("ended", -1);
    }
  }

  /** Export slots held by this replica's kick-offs and jobs now. */
  public int active() {
    return active.get();
  }

  private ClientJobs local(String clientKey) {
    return clients.get(clientKey, key -> new ClientJobs(this::abandoned));
  }

  private void abandoned(int slots) {
    for (int i = 0; i < slots; i++) {
      changed("ended", -1);
    }
  }

  private void changed(String change, int delta) {
    int now = active.addAndGet(delta);
    events.exportSlot(change, now);
  }

  /** Jobs and reservations held now, over all clients; for tests. */
  int slotsTaken() {
    clients.cleanUp();
    return clients.asMap().values().stream().mapToInt(ClientJobs::taken).sum();
  }

  /** A client's jobs left the cache: expired (abandoned, logged) or evicted; frees their slots. */
  private void dropped(String clientKey, ClientJobs jobs, RemovalCause cause) {
    int taken = jobs == null ? 0 : jobs.taken();
    if (cause == RemovalCause.EXPIRED && taken > 0) {
      FailureLog.logger().info("Bulk export jobs of {} abandoned (status not polled within the"
          + " TTL): {} slot(s) freed", LogSafe.clean(clientKey, 200), taken);
    }
    if (cause.wasEvicted()) {
      abandoned(taken);
    }
  }

  /** @return when a job last showed life plus the TTL has passed */
  static boolean isAbandoned(Instant lastSeen, Instant now, Duration ttl) {
    return !now.isBefore(lastSeen.plus(ttl));
  }
}
