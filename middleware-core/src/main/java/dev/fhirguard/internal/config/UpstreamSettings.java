package dev.fhirguard.internal.config;

import java.time.Duration;
import java.util.List;

/**
 * The settings of upstream failures: the names clients see, the circuit breaker of each upstream
 * (defaults under {@code fhirguard.upstream.}, overrides under {@code
 * fhirguard.upstreams.<name>.}), and extra exception mappings. Property names follow
 * Resilience4j's.
 */
public final class UpstreamSettings {

  private static final String ONE = "fhirguard.upstream.";
  private static final String EACH = "fhirguard.upstreams.<name>.";

  public static final Setting<Integer> FAILURE_RATE =
      Setting.integer(ONE + "failure-rate-threshold", 50, 1, 100,
          "Percentage of failed calls (502, 503, 504, 500) in the sliding window that opens an"
              + " upstream's circuit.");

  public static final Setting<Integer> SLOW_CALL_RATE =
      Setting.integer(ONE + "slow-call-rate-threshold", 100, 1, 100,
          "Percentage of slow calls in the sliding window that opens an upstream's circuit.");

  public static final Setting<Duration> SLOW_CALL_DURATION =
      Setting.duration(ONE + "slow-call-duration-threshold", "5s", Duration.ofMillis(1),
          Duration.ofMinutes(10), "A call that takes longer than this counts as slow.");

  public static final Setting<Duration> WAIT_IN_OPEN_STATE =
      Setting.duration(ONE + "wait-duration-in-open-state", "30s", Duration.ofMillis(10),
          Duration.ofHours(1),
          "How long an open circuit fails calls fast (503 CIRCUIT_OPEN with Retry-After) before"
              + " it lets probe calls through.");

  public static final Setting<Integer> SLIDING_WINDOW_SIZE =
      Setting.integer(ONE + "sliding-window-size", 20, 1, 10_000,
          "Number of most recent calls the failure and slow-call rates are computed over.");

  public static final Setting<Integer> MINIMUM_CALLS =
      Setting.integer(ONE + "minimum-number-of-calls", 10, 1, 10_000,
          "Calls recorded before the rates are computed; at most sliding-window-size.");

  public static final Setting<Integer> HALF_OPEN_CALLS =
      Setting.integer(ONE + "permitted-number-of-calls-in-half-open-state", 3, 1, 1000,
          "Probe calls let through after the wait; if their failure rate is below the threshold"
              + " the circuit closes, otherwise it opens again.");

  public static final Setting<List<String>> EXCEPTION_MAPPINGS =
      Setting.list(ONE + "exception-mappings", "", ExceptionMappings::checkEntry,
          "Extra classifications, as class=CODE pairs (com.acme.EhrDownException=UPSTREAM_UNREACHABLE):"
              + " an exception of that class or a subclass anywhere in the cause chain is answered"
              + " with that catalog code, which must be a server error (5xx). Override mappings"
              + " made in code.");

  public static final Setting<String> DISPLAY_NAME =
      Setting.text(EACH + "display-name", "", "[\\p{L}\\p{N} .,'&()/+-]{1,80}",
          "letters, digits, spaces and . , ' & ( ) / + - (at most 80)",
          "The upstream as clients see it in issue.diagnostics (\"The <display-name> did not answer"
              + " in time.\"), e.g. patient record service. Without it clients see the catalog"
              + " text. Required for every upstream configured here.");

  public static final Setting<Integer> EACH_FAILURE_RATE = perUpstream(FAILURE_RATE);
  public static final Setting<Integer> EACH_SLOW_CALL_RATE = perUpstream(SLOW_CALL_RATE);
  public static final Setting<Duration> EACH_SLOW_CALL_DURATION = perUpstream(SLOW_CALL_DURATION);
  public static final Setting<Duration> EACH_WAIT_IN_OPEN_STATE = perUpstream(WAIT_IN_OPEN_STATE);
  public static final Setting<Integer> EACH_SLIDING_WINDOW_SIZE = perUpstream(SLIDING_WINDOW_SIZE);
  public static final Setting<Integer> EACH_MINIMUM_CALLS = perUpstream(MINIMUM_CALLS);
  public static final Setting<Integer> EACH_HALF_OPEN_CALLS = perUpstream(HALF_OPEN_CALLS);

  /** The settings of one named upstream. */
  public static final List<Setting<?>> PER_UPSTREAM =
      List.of(DISPLAY_NAME, EACH_FAILURE_RATE, EACH_SLOW_CALL_RATE, EACH_SLOW_CALL_DURATION,
          EACH_WAIT_IN_OPEN_STATE, EACH_SLIDING_WINDOW_SIZE, EACH_MINIMUM_CALLS,
          EACH_HALF_OPEN_CALLS);

  static final List<Setting<?>> ALL =
      List.of(FAILURE_RATE, SLOW_CALL_RATE, SLOW_CALL_DURATION, WAIT_IN_OPEN_STATE,
          SLIDING_WINDOW_SIZE, MINIMUM_CALLS, HALF_OPEN_CALLS, EXCEPTION_MAPPINGS, DISPLAY_NAME,
          EACH_FAILURE_RATE, EACH_SLOW_CALL_RATE, EACH_SLOW_CALL_DURATION, EACH_WAIT_IN_OPEN_STATE,
          EACH_SLIDING_WINDOW_SIZE, EACH_MINIMUM_CALLS, EACH_HALF_OPEN_CALLS);

  private UpstreamSettings() {}

  /** The {@code fhirguard.upstreams.<name>.} override of a {@code fhirguard.upstream.} default. */
  private static <T> Setting<T> perUpstream(Setting<T> general) {
    return Setting.overrideOf(EACH + general.key().substring(ONE.length()), general,
        "This upstream's");
  }
}
