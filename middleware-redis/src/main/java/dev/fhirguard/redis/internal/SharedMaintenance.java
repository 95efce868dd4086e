package dev.fhirguard.redis.internal;

import dev.fhirguard.cluster.SharedSwitch;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The maintenance switch in Redis: the key holds {@code 1} while maintenance is on and is absent
 * while it is off. Each replica reads it in the background ({@link #sync()}), so a request never
 * waits for Redis; a state set while Redis cannot be reached is written once it answers again. An
 * "on" key lives {@link #KEEP} and every read renews it, so it outlives only a cluster that is
 * gone for that long.
 */
final class SharedMaintenance implements SharedSwitch {

  static final Duration KEEP = Duration.ofDays(7);

  private static final String READ_AND_KEEP = "local v = redis.call('GET', KEYS[1]) "
      + "if v then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return v";

  private final StoreCalls calls;
  private final RedisLink redis;
  private final String key;
  private final AtomicReference<Boolean> unwritten = new AtomicReference<>();
  private final AtomicLong sets = new AtomicLong();
  private volatile boolean on;
  private volatile boolean read;

  SharedMaintenance(StoreCalls calls, RedisLink redis, RedisKeys keys) {
    this.calls = calls;
    this.redis = redis;
    this.key = keys.maintenance();
  }

  @Override
  public boolean isOn() {
    return on;
  }

  @Override
  public boolean set(boolean value) {
    sets.incrementAndGet();
    on = value;
    unwritten.set(value);
    return calls.call(() -> {
      write(value);
      unwritten.compareAndSet(value, null);
      return true;
    }, () -> false);
  }

  /** Writes a state set while Redis was down, else reads the shared state. */
  void sync() {
    Boolean pending = unwritten.get();
    if (pending != null) {
      calls.run(() -> {
        write(pending);
        unwritten.compareAndSet(pending, null);
      }, () -> { });
      return;
    }
    long setsBefore = sets.get();
    Boolean shared = calls.call(this::read, () -> null);
    if (shared == null || sets.get() != setsBefore) { // not read, or a set() raced the read
      return;
    }
    boolean first = !read;
    read = true;
    if (shared != on) {
      on = shared;
      FailureReport.LOG.info(first ? "Maintenance mode is {}: so it is set in Redis"
          : "Maintenance mode switched {} in Redis (by another replica)", shared ? "on" : "off");
    }
  }

  private boolean read() {
    String value = redis.commands().eval(READ_AND_KEEP, ScriptOutputType.VALUE,
        new String[] {key}, Long.toString(KEEP.toMillis()));
    return "1".equals(value);
  }

  private void write(boolean value) {
    if (value) {
      redis.commands().set(key, "1", SetArgs.Builder.px(KEEP.toMillis()));
    } else {
      redis.commands().del(key);
    }
  }
}
