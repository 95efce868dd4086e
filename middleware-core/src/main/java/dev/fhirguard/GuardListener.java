package dev.fhirguard;

/**
 * Watches what fhirguard decides: every error answer it sends or shapes, every rate-limit
 * decision, token verification, circuit transition, export slot change and maintenance switch.
 * Metrics ({@code dev.fhirguard.metrics.FhirGuardMetrics}) and a user's own auditing plug in here
 * through {@link FhirGuard.Builder#listener(GuardListener)}.
 *
 * <p>Methods are called synchronously on the thread that decided (a request thread, or a
 * scheduler's): keep them short and never block. An exception a listener throws is logged (at most
 * once a minute per listener) and otherwise ignored: it never changes or fails a response. Every
 * method has an empty default, so a listener implements only what it watches.
 */
public interface GuardListener {

  /** An error answer was sent (or, on the HAPI path, shaped for HAPI to send). */
  default void onOutcome(Outcome outcome) {}

  /** A rate limit admitted or refused a request. */
  default void onRateLimit(RateLimitDecision decision) {}

  /** A bearer token was checked (or its cached verdict reused). */
  default void onTokenVerification(TokenVerification verification) {}

  /** The circuit breaker of an upstream changed state. */
  default void onCircuitTransition(CircuitTransition transition) {}

  /** An export slot was taken, given back or refused. */
  default void onExportSlot(ExportSlot change) {}

  /** Maintenance mode was switched on or off (by the API, the file, a setting or the cluster). */
  default void onMaintenance(boolean on) {}

  /**
   * One error answer.
   *
   * @param status the HTTP status
   * @param code the catalog code
   * @param clientId the verified client's id, or {@code null} when none was verified (never use it
   *     as a metric tag: client ids are unbounded)
   * @param stage where the answer came from: {@code authentication}, {@code authorization}, {@code
   *     rate-limit}, {@code export}, {@code admission} (maintenance, overload), {@code method}
   *     (TRACE), {@code application} (an exception or error status of the application or HAPI),
   *     {@code container} (an error the container raised outside the filter chain)
   */
  record Outcome(int status, ErrorCode code, String clientId, String stage) {}

  /**
   * One rate-limit decision.
   *
   * @param limit {@code client} (a verified client's bucket), {@code anonymous} (requests without
   *     a token) or {@code address} (the per-address shield before authentication)
   * @param allowed whether the request got a token from the bucket
   * @param store {@code local}, {@code shared} (the cluster store) or {@code fallback} (this
   *     replica's share while the cluster store is unreachable)
   */
  record RateLimitDecision(String limit, boolean allowed, String store) {}

  /**
   * One token check.
   *
   * @param valid whether the token was accepted
   * @param code the refusal's catalog code, or {@code null} when valid
   * @param cached whether the verdict came from the verification cache
   * @param nanos how long the check took
   */
  record TokenVerification(boolean valid, ErrorCode code, boolean cached, long nanos) {}

  /**
   * One circuit-breaker transition.
   *
   * @param upstream the upstream's configured name
   * @param from the state left: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
   * @param to the state entered
   */
  record CircuitTransition(String upstream, String from, String to) {}

  /**
   * One change of export slots.
   *
   * @param change {@code started} (a kick-off took a slot), {@code ended} (completed, cancelled,
   *     abandoned or refused downstream: the slot is free again) or {@code refused} (no slot was
   *     free: a 429)
   * @param active export jobs holding a slot on this replica after the change
   */
  record ExportSlot(String change, int active) {}
}
