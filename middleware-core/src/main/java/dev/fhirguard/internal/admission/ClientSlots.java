package dev.fhirguard.internal.admission;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bound on the requests each client has in progress. A client is in the map only while it has
 * one, so the map holds at most as many keys as there are requests in progress.
 */
final class ClientSlots implements Slots {

  private final int max;
  private final ConcurrentHashMap<String, Integer> taken = new ConcurrentHashMap<>();

  ClientSlots(int max) {
    this.max = max;
  }

  @Override
  public boolean tryAcquire(String client) {
    boolean[] acquired = {false};
    taken.compute(client, (id, count) -> {
      int current = count == null ? 0 : count;
      if (current >= max) {
        return count;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  @Override
  public void release(String client) {
    taken.computeIfPresent(client, (id, count) -> count <= 1 ? null : count - 1);
  }

  /** How many clients have requests in progress. */
  int clients() {
    return taken.size();
  }
}
