package dev.fhirguard.internal.admission;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.cluster.SharedSwitch;
import dev.fhirguard.internal.config.AdmissionSettings;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.outcome.ErrorResponder;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * Admission of a guard, as pipeline stages built from its settings: maintenance mode and the
 * bounds on requests in progress, globally and per verified client (all 503).
 */
public final class Admission {

  /** The key of every request under the global bound. */
  private static final String ANY = "";

  private final ResolvedSettings settings;
  private final ErrorResponder responder;
  private final MaintenanceMode maintenance;
  private final GlobalSlots global;
  private final ClientSlots perClient;

  public Admission(ResolvedSettings settings, ErrorResponder responder, Clock clock) {
    this(settings, responder, null, clock);
  }

  /** @param sharedMaintenance the maintenance switch of the cluster, or {@code null} */
  public Admission(ResolvedSettings settings, ErrorResponder responder,
      SharedSwitch sharedMaintenance, Clock clock) {
    this.settings = settings;
    this.responder = responder;
    this.maintenance = new MaintenanceMode(settings.get(AdmissionSettings.MAINTENANCE_ENABLED),
        settings.get(AdmissionSettings.MAINTENANCE_FILE).map(Path::of).orElse(null),
        sharedMaintenance, clock);
    int max = settings.get(AdmissionSettings.MAX_IN_FLIGHT);
    this.global = max > 0 ? new GlobalSlots(max) : null;
    int maxPerClient = settings.get(AdmissionSettings.MAX_IN_FLIGHT_PER_CLIENT);
    this.perClient = maxPerClient > 0 ? new ClientSlots(maxPerClient) : null;
    if (perClient != null && !settings.get(AuthSettings.ENABLED)) {
      LoggerFactory.getLogger(Admission.class).warn("fhirguard.overload.max-in-flight-per-client"
          + " bounds verified clients only, and fhirguard.auth.enabled is false: it has no effect");
    }
  }

  /** The maintenance stage; always there, as maintenance can be switched on at runtime. */
  public Stage maintenanceStage() {
    Duration wait = settings.get(AdmissionSettings.MAINTENANCE_RETRY_AFTER);
    Failure refusal = Failure.retryLater(ErrorCode.MAINTENANCE,
        "The server is down for scheduled maintenance.", wait);
    return new MaintenanceStage(maintenance,
        settings.get(AdmissionSettings.MAINTENANCE_EXEMPT_PATHS), refusal, responder);
  }

  /** The bound on all requests in progress, or {@code null} when there is none. */
  public Stage overloadStage() {
    if (global == null) {
      return null;
    }
    Failure refusal = Failure.retryLater(ErrorCode.SERVER_OVERLOADED,
        "The server is busy with too many requests.", overloadWait());
    return new InFlightStage(global, request -> ANY, refusal, responder);
  }

  /** The bound on each verified client's requests in progress, or {@code null}. */
  public Stage clientStage() {
    if (perClient == null) {
      return null;
    }
    Failure refusal = Failure.retryLater(ErrorCode.CLIENT_CONCURRENCY_EXCEEDED,
        "This client has too many requests in progress.", overloadWait());
    return new InFlightStage(perClient, Admission::clientIdOf, refusal, responder);
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

  private Duration overloadWait() {
    return settings.get(AdmissionSettings.OVERLOAD_RETRY_AFTER);
  }

  private static String clientIdOf(HttpServletRequest request) {
    VerifiedClient client = VerifiedClient.of(request);
    return client == null ? null : client.clientId();
  }
}
