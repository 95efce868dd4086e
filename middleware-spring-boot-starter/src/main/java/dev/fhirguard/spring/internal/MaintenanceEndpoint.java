package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuard;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code fhirguard} actuator endpoint: {@code GET} tells whether the server is in
 * maintenance, {@code POST {"maintenance": true}} switches it (see {@link FhirGuard#maintenance}).
 */
@Endpoint(id = "fhirguard")
public final class MaintenanceEndpoint {

  private final FhirGuard guard;

  public MaintenanceEndpoint(FhirGuard guard) {
    this.guard = guard;
  }

  @ReadOperation
  public Map<String, Object> status() {
    return Map.of("maintenance", guard.inMaintenance());
  }

  @WriteOperation
  public Map<String, Object> maintenance(boolean maintenance) {
    guard.maintenance(maintenance);
    return status();
  }
}
