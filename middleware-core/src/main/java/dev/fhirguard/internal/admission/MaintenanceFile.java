package dev.fhirguard.internal.admission;

import dev.fhirguard.internal.text.LogSafe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the maintenance file exists, looked up at most once a second of the guard's clock. Only
 * one request thread looks at a time; the others take the last answer, as do all of them when a
 * look-up fails (a permission error, logged once until a look-up works again).
 */
final class MaintenanceFile {

  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  private static final long CHECK_INTERVAL_MILLIS = CHECK_INTERVAL.toMillis();

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceFile.class);

  private final Path path;
  private final Clock clock;
  private final Consumer<Boolean> onChange;
  private final ReentrantLock checking = new ReentrantLock();
  private volatile long checkedAtMillis;
  private volatile boolean exists;
  private boolean failing;

  /** @param onChange told the new answer whenever it changes after the first look-up */
  MaintenanceFile(Path path, Clock clock, Consumer<Boolean> onChange) {
    this.path = path;
    this.clock = clock;
    this.onChange = onChange;
    checkedAtMillis = clock.millis();
    exists = lookUp(false);
  }

  /** Whether the file exists, as of the last look-up (made now when the last is a second old). */
  boolean exists() {
    long now = clock.millis();
    if (isDue(now) && checking.tryLock()) {
      try {
        if (isDue(now)) {
          checkedAtMillis = now;
          refresh();
        }
      } finally {
        checking.unlock();
      }
    }
    return exists;
  }

  String display() {
    return LogSafe.clean(path.toString(), 300);
  }

  /** A second after the last look-up, or before it when the clock was set back. */
  private boolean isDue(long now) {
    long last = checkedAtMillis;
    return now - last >= CHECK_INTERVAL_MILLIS || now < last;
  }

  private void refresh() {
    boolean found = lookUp(exists);
    if (found != exists) {
      exists = found;
      onChange.accept(found);
    }
  }

  /** Whether the file exists; {@code lastAnswer} when that cannot be told. */
  private boolean lookUp(boolean lastAnswer) {
    boolean found;
    try {
      Files.readAttributes(path, BasicFileAttributes.class);
      found = true;
    } catch (NoSuchFileException e) {
      found = false;
    } catch (IOException | SecurityException e) {
      if (!failing) {
        failing = true;
        LOG.warn("Cannot tell whether the maintenance file {} exists ({}); maintenance mode stays"
            + " {} until it can", display(), LogSafe.clean(e.toString(), 300),
            lastAnswer ? "on" : "as switched by property or API");
      }
      return lastAnswer;
    }
    if (failing) {
      failing = false;
      LOG.info("The maintenance file {} can be looked up again", display());
    }
    return found;
  }
}
