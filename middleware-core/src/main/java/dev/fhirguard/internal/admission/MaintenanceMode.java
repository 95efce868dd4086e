package dev.fhirguard.internal.admission;

import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.cluster.SharedSwitch;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server is in maintenance: switched on (at start-up or through the API), or the
 * maintenance file exists, or (in cluster mode) the switch shared by every replica is on. Each
 * change of a switch is logged once at INFO.
 *
 * <p>In cluster mode the API switches the shared switch, for every replica; switching off also
 * ends this replica's own maintenance from start-up ({@code fhirguard.maintenance.enabled}, which
 * stays this replica's alone: a restarted replica must not put the whole cluster in maintenance).
 * The file is this replica's alone too.
 */
final class MaintenanceMode {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceMode.class);

  private final AtomicBoolean switchedOn;
  private final MaintenanceFile file;
  private final SharedSwitch shared;
  private final GuardEvents events;
  /** The state the listeners were last told of (the start's state at first). */
  private final AtomicBoolean reported;

  /**
   * @param file the maintenance file, or {@code null} when none is configured
   * @param shared the switch every replica sees, or {@code null} outside cluster mode
   */
  MaintenanceMode(boolean onAtStart, Path file, SharedSwitch shared, Clock clock,
      GuardEvents events) {
    this.switchedOn = new AtomicBoolean(onAtStart);
    this.shared = shared;
    this.events = events;
    if (onAtStart) {
      LOG.info("Maintenance mode is on from start-up (fhirguard.maintenance.enabled=true)");
    }
    this.file = file == null ? null : new MaintenanceFile(file, clock, this::fileChanged);
    if (this.file != null && this.file.exists()) {
      LOG.info("Maintenance mode is on: the maintenance file {} exists", this.file.display());
    }
    this.reported = new AtomicBoolean(state());
  }

  /**
   * Whether maintenance is on now. The listeners are told when this differs from what they were
   * last told: a switch by the API, the file appearing or going, the cluster's switch.
   */
  boolean isOn() {
    boolean on = state();
    if (events.any() && on != reported.get() && reported.compareAndSet(!on, on)) {
      events.maintenance(on);
    }
    return on;
  }

  private boolean state() {
    boolean fileExists = file != null && file.exists();
    return fileExists || switchedOn.get() || (shared != null && shared.isOn());
  }

  /** Switches maintenance on or off; the file, while it exists, keeps it on. */
  void switchTo(boolean on) {
    if (shared != null) {
      switchShared(on);
    } else if (switchedOn.getAndSet(on) != on) {
      if (!on && file != null && file.exists()) {
        LOG.info("Maintenance switched off by the API; maintenance mode stays on while the"
            + " maintenance file {} exists", file.display());
      } else {
        LOG.info("Maintenance mode switched {} by the API", on ? "on" : "off");
      }
    }
    isOn(); // tells the listeners of a change now
  }

  private void switchShared(boolean on) {
    boolean stored = shared.set(on);
    boolean wasOnHere = !on && switchedOn.getAndSet(false);
    LOG.info("Maintenance mode switched {} by the API for every replica{}{}", on ? "on" : "off",
        wasOnHere ? " (and this replica's, on from start-up)" : "",
        stored ? "" : "; the shared store cannot be reached: the others follow once it can");
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
