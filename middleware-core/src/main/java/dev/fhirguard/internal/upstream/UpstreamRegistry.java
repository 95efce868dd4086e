package dev.fhirguard.internal.upstream;

import dev.fhirguard.internal.events.GuardEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Setting;
import dev.fhirguard.internal.config.UpstreamSettings;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** A guard's upstreams: one circuit breaker per name. */
public final class UpstreamRegistry {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_~:@.-]{1,128}");

  private final ResolvedSettings settings;
  private final Clock clock;
  private final Map<String, UpstreamCircuit> circuits = new ConcurrentHashMap<>();
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final GuardEvents events;

  /** @param clock the clock the open state of the circuits is timed with */
  public UpstreamRegistry(ResolvedSettings settings, Clock clock, GuardEvents events) {
    this.settings = settings;
    this.clock = clock;
    this.events = events;
  }

  /**
   * The circuit of the upstream {@code name}, created on first use.
   *
   * @throws IllegalArgumentException when the name is not 1 to 128 letters, digits and {@code
   *     _~:@.-}
   */
  public UpstreamCircuit circuit(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "an upstream name is 1 to 128 letters, digits and _~:@.- (as in the keys"
              + " fhirguard.upstreams.<name>.*)");
    }
    return circuits.computeIfAbsent(
        name, n -> new UpstreamCircuit(n, policy(n), clock, breakers, events));
  }

  /**
   * Resilience4j's registry of the circuit breakers, one per upstream name as it is first used:
   * what Resilience4j's own metrics are bound from.
   */
  public CircuitBreakerRegistry breakers() {
    return breakers;
  }

  private CircuitPolicy policy(String name) {
    return new CircuitPolicy(
        value(UpstreamSettings.EACH_FAILURE_RATE, UpstreamSettings.FAILURE_RATE, name),
        value(UpstreamSettings.EACH_SLOW_CALL_RATE, UpstreamSettings.SLOW_CALL_RATE, name),
        value(UpstreamSettings.EACH_SLOW_CALL_DURATION, UpstreamSettings.SLOW_CALL_DURATION, name),
        value(UpstreamSettings.EACH_WAIT_IN_OPEN_STATE, UpstreamSettings.WAIT_IN_OPEN_STATE, name),
        value(UpstreamSettings.EACH_SLIDING_WINDOW_SIZE, UpstreamSettings.SLIDING_WINDOW_SIZE,
            name),
        value(UpstreamSettings.EACH_MINIMUM_CALLS, UpstreamSettings.MINIMUM_CALLS, name),
        value(UpstreamSettings.EACH_HALF_OPEN_CALLS, UpstreamSettings.HALF_OPEN_CALLS, name));
  }

  private <T> T value(Setting<T> override, Setting<T> general, String name) {
    T specific = settings.named(override).get(name);
    return specific != null ? specific : settings.get(general);
  }
}
