package dev.fhirguard.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * The bulk export slots of every client and the pace of their status polls, as leases that every
 * replica sees. A kick-off reserves a slot; a kick-off answered 202 turns it into a job leased
 * for the job TTL and renewed by every admitted status poll; the job's end (done, gone, failed,
 * cancelled) or a refused kick-off frees it. A lease that nobody renews expires after the job
 * TTL, so a replica that crashes holds no slot for longer.
 *
 * <p>Keys are opaque: {@code clientKey} is whom the slots belong to ({@code client:<client-id>}
 * or {@code anonymous:<ip>}), {@code statusKey} a job's status URL (path and query). Every method
 * is thread-safe and never throws because the shared store failed: it then answers from this
 * replica's own slots.
 */
public interface ExportLeases {

  /**
   * Reserves a slot for a kick-off, unless the client has {@code max} slots taken.
   *
   * @param max the most slots the client may hold; 0 for no limit
   * @return the reservation, or {@code null} when every slot is taken
   */
  Reservation reserve(String clientKey, int max);

  /**
   * The kick-off of {@code reservation} was answered 202 with {@code statusKey}: the slot becomes
   * that job's lease, whose first poll is allowed at once (a client may look right away whether
   * its job has started), each later one the minimum poll interval after the one before. The job
   * counts
   * even when the reservation was already released (above the client's limit, then).
   */
  void started(Reservation reservation, String statusKey);

  /** Frees the slot of a kick-off that started no job; nothing when it is already free. */
  void release(Reservation reservation);

  /** Whether {@code statusKey} is a job of the client whose lease has not expired. */
  boolean isRunning(String clientKey, String statusKey);

  /**
   * Records a status poll of a running job and renews its lease, unless it comes too soon.
   *
   * @return zero when the poll may proceed (also for a job not running), else how long the client
   *     must still wait
   */
  Duration poll(String clientKey, String statusKey);

  /**
   * Sets when the next poll of a running job is allowed: {@code wait} from now, as the server's
   * own {@code Retry-After} asks; {@link Duration#ZERO} allows it at once.
   */
  void pollNotBefore(String clientKey, String statusKey, Duration wait);

  /** Frees the slot of a job that completed, failed, was cancelled or is gone. */
  void ended(String clientKey, String statusKey);

  /**
   * One reserved slot.
   *
   * @param clientKey whose slot
   * @param id what tells it from the client's other reservations
   */
  record Reservation(String clientKey, String id) {
    public Reservation {
      Objects.requireNonNull(clientKey, "clientKey");
      Objects.requireNonNull(id, "id");
    }
  }
}
