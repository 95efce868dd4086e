package dev.fhirguard.metrics;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.GuardListener;
import dev.fhirguard.cluster.ClusterStatus;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * A guard's meters in a Micrometer {@link MeterRegistry}, all named {@code fhirguard.*} and all of
 * low cardinality: client ids are never tag values. Register it as the guard's listener, then bind
 * the gauges to the guard it built:
 *
 * <pre>{@code
 * FhirGuardMetrics metrics = new FhirGuardMetrics(registry);
 * FhirGuard guard = FhirGuard.builder().listener(metrics).build();
 * metrics.bindTo(guard);
 * }</pre>
 *
 * <p>Counters: {@code fhirguard.outcomes} (status, code, stage), {@code fhirguard.refusals}
 * (reason: the catalog code of a refusal by fhirguard's own stages), {@code
 * fhirguard.rate.limit.decisions} (result, limit, store), {@code fhirguard.circuit.transitions}
 * (upstream, from, to), {@code fhirguard.export.slots} (change), {@code
 * fhirguard.maintenance.switches} (state). Timer: {@code fhirguard.token.verifications} (result,
 * cache). Gauges: {@code fhirguard.requests.in.flight}, {@code fhirguard.exports.active}, {@code
 * fhirguard.maintenance}, and in cluster mode {@code fhirguard.cluster.shared} with the counter
 * {@code fhirguard.cluster.fallbacks}; plus, when {@code resilience4j-micrometer} is on the class
 * path, Resilience4j's {@code resilience4j.circuitbreaker.*} of every upstream. docs/integration.md, "Metrics", describes each.
 */
public final class FhirGuardMetrics implements GuardListener {

  /** The stages whose outcomes are fhirguard's own refusals (not the application's errors). */
  private static final Set<String> REFUSING_STAGES = Set.of("authentication", "authorization",
      "rate-limit", "export", "admission", "method");

  /** Whether resilience4j-micrometer is on the class path (it is optional). */
  private static final boolean RESILIENCE4J_METRICS = present(
      "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics");

  private final MeterRegistry registry;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Map<RateLimitDecision, Counter> decisions = new ConcurrentHashMap<>();
  /** Token timers by verdict (each catalog code, then valid) and cache hit (odd index). */
  private final AtomicReferenceArray<Timer> verifications =
      new AtomicReferenceArray<>((ErrorCode.values().length + 1) * 2);
  private final Counter exportsStarted;
  private final Counter exportsEnded;
  private final Counter exportsRefused;
  private final Counter maintenanceOn;
  private final Counter maintenanceOff;

  public FhirGuardMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.exportsStarted = exportSlots("started");
    this.exportsEnded = exportSlots("ended");
    this.exportsRefused = exportSlots("refused");
    this.maintenanceOn = maintenanceSwitches("on");
    this.maintenanceOff = maintenanceSwitches("off");
  }

  /**
   * Binds the gauges of {@code guard} (requests in flight, active exports, maintenance, and in
   * cluster mode the cluster store's state and fallbacks) and Resilience4j's meters of its
   * upstream circuit breakers, including those created later.
   *
   * @return this
   */
  public FhirGuardMetrics bindTo(FhirGuard guard) {
    Objects.requireNonNull(guard, "guard");
    gauge("fhirguard.requests.in.flight", "Requests in the guard's filter not finished yet",
        guard, g -> g.status().requestsInFlight());
    gauge("fhirguard.exports.active", "Bulk export slots held on this replica", guard,
        g -> g.status().activeExports());
    gauge("fhirguard.maintenance", "1 while maintenance mode is on, else 0", guard,
        g -> g.inMaintenance() ? 1 : 0);
    if (guard.status().cluster() != null) {
      gauge("fhirguard.cluster.shared",
          "1 while the cluster store decides, 0 while this replica's fallback does", guard,
          g -> cluster(g).shared() ? 1 : 0);
      FunctionCounter.builder("fhirguard.cluster.fallbacks", guard,
              g -> cluster(g).fallbackCalls())
          .description("Calls answered by this replica's fallback instead of the cluster store")
          .register(registry);
    }
    if (RESILIENCE4J_METRICS) {
      CircuitBreakerMeters.bind(guard, registry);
    }
    return this;
  }

  @Override
  public void onOutcome(Outcome outcome) {
    String stage = outcome.stage();
    String code = outcome.code().name();
    outcomes.computeIfAbsent(outcome.status() + " " + code + " " + stage, key ->
        Counter.builder("fhirguard.outcomes")
            .description("Error answers fhirguard sent or shaped")
            .tag("status", String.valueOf(outcome.status()))
            .tag("code", code)
            .tag("stage", stage)
            .register(registry)).increment();
    if (REFUSING_STAGES.contains(stage)) {
      refusals.computeIfAbsent(code, key -> Counter.builder("fhirguard.refusals")
          .description("Requests fhirguard's own stages refused, by catalog code")
          .tag("reason", code)
          .register(registry)).increment();
    }
  }

  @Override
  public void onRateLimit(RateLimitDecision decision) {
    decisions.computeIfAbsent(decision, d -> Counter.builder("fhirguard.rate.limit.decisions")
        .description("Rate-limit decisions")
        .tag("result", d.allowed() ? "allowed" : "refused")
        .tag("limit", d.limit())
        .tag("store", d.store())
        .register(registry)).increment();
  }

  @Override
  public void onTokenVerification(TokenVerification verification) {
    ErrorCode code = verification.code();
    int index = (code == null ? ErrorCode.values().length : code.ordinal()) * 2
        + (verification.cached() ? 1 : 0);
    Timer timer = verifications.get(index);
    if (timer == null) {
      timer = Timer.builder("fhirguard.token.verifications")
          .description("Bearer token checks, by verdict and verification cache hit")
          .tag("result", verification.valid() ? "valid" : code.name())
          .tag("cache", verification.cached() ? "hit" : "miss")
          .register(registry);
      verifications.compareAndSet(index, null, timer);
    }
    timer.record(verification.nanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onCircuitTransition(CircuitTransition transition) {
    Counter.builder("fhirguard.circuit.transitions")
        .description("State changes of the upstreams' circuit breakers")
        .tag("upstream", transition.upstream())
        .tag("from", transition.from())
        .tag("to", transition.to())
        .register(registry).increment();
  }

  @Override
  public void onExportSlot(ExportSlot change) {
    switch (change.change()) {
      case "started" -> exportsStarted.increment();
      case "ended" -> exportsEnded.increment();
      default -> exportsRefused.increment();
    }
  }

  @Override
  public void onMaintenance(boolean on) {
    (on ? maintenanceOn : maintenanceOff).increment();
  }

  private Counter exportSlots(String change) {
    return Counter.builder("fhirguard.export.slots")
        .description("Bulk export slots taken, freed, or refused (429)")
        .tag("change", change)
        .register(registry);
  }

  private Counter maintenanceSwitches(String state) {
    return Counter.builder("fhirguard.maintenance.switches")
        .description("Changes of maintenance mode")
        .tag("state", state)
        .register(registry);
  }

  private void gauge(String name, String description, FhirGuard guard,
      ToDoubleFunction<FhirGuard> value) {
    Gauge.builder(name, guard, value).description(description).strongReference(true)
        .register(registry);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, FhirGuardMetrics.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Resilience4j's own meters; loaded only when resilience4j-micrometer is there. */
  private static final class CircuitBreakerMeters {
    static void bind(FhirGuard guard, MeterRegistry registry) {
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(guard.circuitBreakers())
          .bindTo(registry);
    }
  }

  /** The cluster store's status of a guard in cluster mode (which it stays once built). */
  private static ClusterStatus cluster(FhirGuard guard) {
    return guard.status().cluster();
  }
}
