package dev.fhirguard.client.testing;

import dev.fhirguard.client.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RetryClock} that records every wait. {@link #manual()} never sleeps: its time moves by
 * the waits, so a test sees a 300 s wait at once. {@link #real()} really waits (for a server
 * whose limits refill in real time) and records the waits all the same.
 */
public final class TestClock implements RetryClock {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final boolean real;
  private final AtomicLong nanos = new AtomicLong();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private volatile boolean interruptSleeps;
  private volatile Runnable onSleep = () -> { };

  private TestClock(boolean real) {
    this.real = real;
  }

  public static TestClock manual() {
    return new TestClock(false);
  }

  public static TestClock real() {
    return new TestClock(true);
  }

  /** From now on every wait is interrupted, as if the thread were interrupted while waiting. */
  public TestClock interruptingSleeps() {
    interruptSleeps = true;
    return this;
  }

  /** Runs {@code action} at each wait (to change the server while the client waits). */
  public TestClock onSleep(Runnable action) {
    onSleep = action;
    return this;
  }

  /** The waits so far, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public Instant now() {
    return real ? Instant.now() : START.plusNanos(nanos.get());
  }

  @Override
  public long nanoTime() {
    return real ? System.nanoTime() : nanos.get();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    sleeps.add(duration);
    onSleep.run();
    if (interruptSleeps) {
      throw new InterruptedException("test: interrupted while waiting");
    }
    if (real) {
      RetryClock.system().sleep(duration);
    } else {
      nanos.addAndGet(duration.toNanos());
    }
  }
}
