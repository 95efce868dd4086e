package dev.fhirguard.internal.admission;

import dev.fhirguard.internal.events.GuardEvents;
import dev.fhirguard.cluster.SharedSwitch;
import dev.fhirguard.internal.config.GuardSettings;
import java.time.Clock;
import org.slf4j.LoggerFactory;

/**
 * The admission state of a guard: its maintenance switch and its slots of requests in progress,
 * globally and per verified client. The pipeline builds the stages that use them.
 */
public final class Admission {

  private final MaintenanceMode maintenance;
  private final GlobalSlots global;
  private final ClientSlots perClient;

  /** @param sharedMaintenance the maintenance switch of the cluster, or {@code null} */
  public Admission(GuardSettings settings, SharedSwitch sharedMaintenance, Clock clock,
      GuardEvents events) {
    GuardSettings.Maintenance maintenanceSettings = settings.maintenance();
    this.maintenance = new MaintenanceMode(maintenanceSettings.enabled(),
        maintenanceSettings.file(), sharedMaintenance, clock, events);
    GuardSettings.Overload overload = settings.overload();
    this.global = overload.maxInFlight() > 0 ? new GlobalSlots(overload.maxInFlight()) : null;
    this.perClient = overload.maxInFlightPerClient() > 0
        ? new ClientSlots(overload.maxInFlightPerClient()) : null;
    if (overload.maxInFlightPerClient() > 0 && !settings.auth().enabled()) {
      LoggerFactory.getLogger(Admission.class).warn("fhirguard.overload.max-in-flight-per-client"
          + " bounds verified clients only, and fhirguard.auth.enabled is false: it has no effect");
    }
  }

  /** The maintenance switch; always there, as maintenance can be switched on at runtime. */
  MaintenanceMode maintenanceMode() {
    return maintenance;
  }

  /** The slots of {@code fhirguard.overload.max-in-flight}; {@code null} when it is 0. */
  GlobalSlots global() {
    return global;
  }

  /** The slots of {@code max-in-flight-per-client}; {@code null} when it is 0. */
  ClientSlots perClient() {
    return perClient;
  }

  /** Switches maintenance on or off; the maintenance file, while it exists, keeps it on. */
  public void maintenance(boolean on) {
    maintenance.switchTo(on);
  }

  /** Whether requests outside the exempt paths are refused for maintenance now. */
  public boolean inMaintenance() {
    return maintenance.isOn();
  }

  /** Requests holding a slot of the global bound (0 when there is none); for tests. */
  public int requestsInFlight() {
    return global == null ? 0 : global.taken();
  }

  /** Clients with requests holding a slot of the per-client bound; for tests. */
  public int clientsInFlight() {
    return perClient == null ? 0 : perClient.clients();
  }
}
