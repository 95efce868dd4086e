package dev.fhirguard;

import java.time.Clock;

/**
 * FhirGuard's package-private test hooks (its clock, its in-flight counts), for the feature tests
 * outside {@code dev.fhirguard}.
 */
public final class GuardHooks {

  private GuardHooks() {}

  /** The builder, with the clock every timer of the guard reads. */
  public static FhirGuard.Builder withClock(FhirGuard.Builder builder, Clock clock) {
    return builder.clock(clock);
  }

  /** Requests holding a slot of the global in-flight bound. */
  public static int requestsInFlight(FhirGuard guard) {
    return guard.requestsInFlight();
  }

  /** Clients with a request in progress. */
  public static int clientsInFlight(FhirGuard guard) {
    return guard.clientsInFlight();
  }
}
