package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuard;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/** {@code OUT_OF_SERVICE} while the guard is in maintenance, else {@code UP}. */
public final class MaintenanceHealthIndicator extends AbstractHealthIndicator {

  private final FhirGuard guard;

  public MaintenanceHealthIndicator(FhirGuard guard) {
    this.guard = guard;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean maintenance = guard.inMaintenance();
    (maintenance ? builder.outOfService() : builder.up()).withDetail("maintenance", maintenance);
  }
}
