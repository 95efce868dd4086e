package dev.fhirguard.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings the pipeline builds its stages from, per area, typed and resolved once: no stage
 * reads a {@link Setting} itself.
 */
public record GuardSettings(
    Auth auth,
    Maintenance maintenance,
    Overload overload,
    AddressLimit addressLimit,
    RateLimit rateLimit,
    Export export) {

  /** What authentication needs besides its verifier (see {@code AuthSettings}). */
  public record Auth(
      boolean enabled, List<String> urlScopePaths, List<String> trustedProxies,
      String mdcClientIdKey) {}

  /** {@code fhirguard.maintenance.*}; the file is {@code null} when none is named. */
  public record Maintenance(
      boolean enabled, Path file, Duration retryAfter, List<String> exemptPaths) {}

  /** {@code fhirguard.overload.*}: 0 is no bound. */
  public record Overload(int maxInFlight, int maxInFlightPerClient, Duration retryAfter) {}

  /** {@code fhirguard.address-limit.*}. */
  public record AddressLimit(boolean enabled, int capacity, Duration period, int maxAddresses) {}

  /** {@code fhirguard.rate-limit.*} and its per-client overrides. */
  public record RateLimit(
      boolean enabled, int capacity, Duration period, boolean intervalRefill, int maxClients,
      Map<String, Integer> capacityByClient, Map<String, Duration> periodByClient,
      boolean headers, boolean ietfHeaders) {}

  /** {@code fhirguard.export.*}: the costs in the client's bucket, the job and poll limits. */
  public record Export(
      int kickoffCost, int pollCost, int maxConcurrent, Map<String, Integer> maxByClient,
      Duration minPollInterval, Duration jobTtl, Duration retryAfter) {

    /** Whether export jobs are followed at all (some limit on them is set). */
    public boolean tracksJobs() {
      return maxConcurrent > 0 || !maxByClient.isEmpty() || !minPollInterval.isZero();
    }
  }

  /** Reads every area from {@code settings}. */
  public static GuardSettings of(ResolvedSettings settings) {
    return new GuardSettings(
        new Auth(settings.get(AuthSettings.ENABLED), settings.get(AuthSettings.URL_SCOPE_PATHS),
            settings.get(AuthSettings.TRUSTED_PROXIES), settings.get(Settings.MDC_CLIENT_ID_KEY)),
        new Maintenance(settings.get(AdmissionSettings.MAINTENANCE_ENABLED),
            settings.get(AdmissionSettings.MAINTENANCE_FILE).map(Path::of).orElse(null),
            settings.get(AdmissionSettings.MAINTENANCE_RETRY_AFTER),
            settings.get(AdmissionSettings.MAINTENANCE_EXEMPT_PATHS)),
        new Overload(settings.get(AdmissionSettings.MAX_IN_FLIGHT),
            settings.get(AdmissionSettings.MAX_IN_FLIGHT_PER_CLIENT),
            settings.get(AdmissionSettings.OVERLOAD_RETRY_AFTER)),
        new AddressLimit(settings.get(LimitSettings.ADDRESS_LIMIT_ENABLED),
            settings.get(LimitSettings.ADDRESS_LIMIT_CAPACITY),
            settings.get(LimitSettings.ADDRESS_LIMIT_PERIOD),
            settings.get(LimitSettings.ADDRESS_LIMIT_MAX_ADDRESSES)),
        new RateLimit(settings.get(LimitSettings.RATE_LIMIT_ENABLED),
            settings.get(LimitSettings.RATE_LIMIT_CAPACITY),
            settings.get(LimitSettings.RATE_LIMIT_PERIOD),
            "interval".equals(settings.get(LimitSettings.RATE_LIMIT_REFILL)),
            settings.get(LimitSettings.RATE_LIMIT_MAX_CLIENTS),
            settings.named(LimitSettings.CLIENT_RATE_LIMIT_CAPACITY),
            settings.named(LimitSettings.CLIENT_RATE_LIMIT_PERIOD),
            settings.get(LimitSettings.RATE_LIMIT_HEADERS),
            settings.get(LimitSettings.RATE_LIMIT_IETF_HEADERS)),
        new Export(settings.get(LimitSettings.EXPORT_KICKOFF_COST),
            settings.get(LimitSettings.EXPORT_POLL_COST),
            settings.get(LimitSettings.EXPORT_MAX_CONCURRENT),
            settings.named(LimitSettings.CLIENT_EXPORT_MAX_CONCURRENT),
            settings.get(LimitSettings.EXPORT_MIN_POLL_INTERVAL),
            settings.get(LimitSettings.EXPORT_JOB_TTL),
            settings.get(LimitSettings.EXPORT_RETRY_AFTER)));
  }
}
