package dev.fhirguard.internal.admission;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server is in maintenance: switched on (at start-up or through the API), or the
 * maintenance file exists. Each change of a switch is logged once at INFO.
 */
final class MaintenanceMode {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceMode.class);

  private final AtomicBoolean switchedOn;
  private final MaintenanceFile file;

  /** @param file the maintenance file, or {@code null} when none is configured */
  MaintenanceMode(boolean onAtStart, Path file, Clock clock) {
    this.switchedOn = new AtomicBoolean(onAtStart);
    if (onAtStart) {
      LOG.info("Maintenance mode is on from start-up (fhirguard.maintenance.enabled=true)");
    }
    this.file = file == null ? null : new MaintenanceFile(file, clock, this::fileChanged);
    if (this.file != null && this.file.exists()) {
      LOG.info("Maintenance mode is on: the maintenance file {} exists", this.file.display());
    }
  }

  boolean isOn() {
    boolean fileExists = file != null && file.exists();
    return fileExists || switchedOn.get();
  }

  /** Switches maintenance on or off; the file, while it exists, keeps it on. */
  void switchTo(boolean on) {
    if (switchedOn.getAndSet(on) == on) {
      return;
    }
    if (!on && file != null && file.exists()) {
      LOG.info("Maintenance switched off by the API; maintenance mode stays on while the"
          + " maintenance file {} exists", file.display());
    } else {
      LOG.info("Maintenance mode switched {} by the API", on ? "on" : "off");
    }
  }

  private void fileChanged(boolean exists) {
    if (exists) {
      LOG.info("Maintenance mode on: the maintenance file {} appeared", file.display());
    } else if (switchedOn.get()) {
      LOG.info("The maintenance file {} is gone; maintenance mode stays on, switched on by"
          + " property or API", file.display());
    } else {
      LOG.info("Maintenance mode off: the maintenance file {} is gone", file.display());
    }
  }
}
