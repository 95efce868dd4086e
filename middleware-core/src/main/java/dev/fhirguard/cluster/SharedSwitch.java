package dev.fhirguard.cluster;

/**
 * An on/off switch every replica sees, such as maintenance mode. Reading it costs no I/O: each
 * replica refreshes its copy in the background (within {@link ClusterSettings#maintenanceSyncInterval()}
 * plus the store's timeout) and keeps the last state it knew while the shared store fails.
 */
public interface SharedSwitch {

  /** The shared state as last read, or as last set on this replica. */
  boolean isOn();

  /**
   * Switches it for every replica; this replica sees the new state at once.
   *
   * @return true when the shared store has it now; false when it could not be reached: the state
   *     is then stored as soon as it can be, unless another state is set before
   */
  boolean set(boolean on);
}
