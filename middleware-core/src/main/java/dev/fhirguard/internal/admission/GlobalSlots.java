package dev.fhirguard.internal.admission;

import java.util.concurrent.atomic.AtomicInteger;

/** One bound on all requests in progress, whatever their key. */
final class GlobalSlots implements Slots {

  private final int max;
  private final AtomicInteger taken = new AtomicInteger();

  GlobalSlots(int max) {
    this.max = max;
  }

  @Override
  public boolean tryAcquire(String key) {
    for (int current = taken.get(); current < max; current = taken.get()) {
      if (taken.compareAndSet(current, current + 1)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void release(String key) {
    taken.decrementAndGet();
  }

  int taken() {
    return taken.get();
  }
}
