package dev.fhirguard.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The settings of admission: maintenance mode and overload shedding (503). */
public final class AdmissionSettings {

  public static final Setting<Boolean> MAINTENANCE_ENABLED =
      Setting.bool("fhirguard.maintenance.enabled", false,
          "Start in maintenance mode: every request outside the exempt paths gets 503"
              + " MAINTENANCE. Switch it at runtime with FhirGuard.maintenance(boolean) or the"
              + " maintenance file.");

  public static final Setting<Optional<String>> MAINTENANCE_FILE =
      Setting.optionalText("fhirguard.maintenance.file", "[^\\x00-\\x1f\\x7f]{1,4096}",
          "a file path",
          "While this file exists the server is in maintenance mode, whatever the other switches"
              + " say: create it to start maintenance, delete it to end it, no restart. Checked at"
              + " most once a second; a relative path is resolved against the working directory.");

  public static final Setting<Duration> MAINTENANCE_RETRY_AFTER =
      Setting.duration("fhirguard.maintenance.retry-after", "5m", Duration.ofSeconds(1),
          Duration.ofDays(7), "Retry-After sent with 503 MAINTENANCE.");

  public static final Setting<List<String>> MAINTENANCE_EXEMPT_PATHS =
      Setting.list("fhirguard.maintenance.exempt-paths", "", PathRules::checkPattern,
          "Paths served during maintenance (a health check, the capability statement), as"
              + " exact paths or prefixes ending in /*.");

  public static final Setting<Integer> MAX_IN_FLIGHT =
      Setting.integer("fhirguard.overload.max-in-flight", 0, 0, 1_000_000,
          "Most requests the server works on at once (an async request until its async cycle"
              + " ends); one more gets 503 SERVER_OVERLOADED at once instead of waiting in a queue."
              + " 0: no bound.");

  public static final Setting<Integer> MAX_IN_FLIGHT_PER_CLIENT =
      Setting.integer("fhirguard.overload.max-in-flight-per-client", 0, 0, 1_000_000,
          "Most requests one verified client may have in progress; one more gets 503"
              + " CLIENT_CONCURRENCY_EXCEEDED. Requests without a verified token are not counted."
              + " 0: no bound.");

  public static final Setting<Duration> OVERLOAD_RETRY_AFTER =
      Setting.duration("fhirguard.overload.retry-after", "5s", Duration.ofSeconds(1),
          Duration.ofHours(1),
          "Retry-After sent with 503 SERVER_OVERLOADED and CLIENT_CONCURRENCY_EXCEEDED.");

  static final List<Setting<?>> ALL =
      List.of(MAINTENANCE_ENABLED, MAINTENANCE_FILE, MAINTENANCE_RETRY_AFTER,
          MAINTENANCE_EXEMPT_PATHS, MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_CLIENT, OVERLOAD_RETRY_AFTER);

  private AdmissionSettings() {}
}
