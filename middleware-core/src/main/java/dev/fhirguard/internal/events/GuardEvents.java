package dev.fhirguard.internal.events;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.GuardListener;
import dev.fhirguard.internal.text.LogSafe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands fhirguard's decisions to the registered {@link GuardListener}s, each call isolated: a
 * listener that throws is logged at most once a minute (with how many failures that minute hid)
 * and never fails the request. With no listener every method returns at once, building nothing.
 */
public final class GuardEvents {

  /** No listeners: every event is dropped at no cost. */
  public static final GuardEvents NONE = new GuardEvents(List.of());

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.errors");
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final GuardListener[] listeners;
  private final AtomicLongArray lastLogged;
  private final AtomicLongArray hidden;

  /** The class whose presence means the OpenTelemetry API is on the classpath. */
  private static final String OPENTELEMETRY_SPAN = "io.opentelemetry.api.trace.Span";

  /**
   * The events of a guard with {@code listeners}, plus the listener that records verdicts on the
   * current OpenTelemetry span when the OpenTelemetry API is on the classpath.
   */
  public static GuardEvents of(List<GuardListener> listeners) {
    GuardListener spans = spanVerdicts();
    if (spans == null) {
      return listeners.isEmpty() ? NONE : new GuardEvents(listeners);
    }
    List<GuardListener> all = new ArrayList<>(listeners);
    all.add(spans);
    return new GuardEvents(all);
  }

  /** {@link SpanVerdicts}, loaded by name only when OpenTelemetry is there; else {@code null}. */
  private static GuardListener spanVerdicts() {
    ClassLoader loader = GuardEvents.class.getClassLoader();
    try {
      Class.forName(OPENTELEMETRY_SPAN, false, loader);
    } catch (ClassNotFoundException | LinkageError absent) {
      return null;
    }
    try {
      return (GuardListener) Class.forName(GuardEvents.class.getPackageName() + ".SpanVerdicts",
          true, loader).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError unusable) {
      LOG.warn("OpenTelemetry is on the classpath but fhirguard cannot use it; verdicts are not"
          + " recorded on spans", LogSafe.throwable(unusable));
      return null;
    }
  }

  public GuardEvents(List<GuardListener> listeners) {
    this.listeners = listeners.toArray(GuardListener[]::new);
    this.lastLogged = new AtomicLongArray(this.listeners.length);
    this.hidden = new AtomicLongArray(this.listeners.length);
  }

  /** Whether any listener is registered (to skip building an event's parts). */
  public boolean any() {
    return listeners.length > 0;
  }

  public void outcome(int status, ErrorCode code, String clientId, String stage) {
    if (any()) {
      GuardListener.Outcome event = new GuardListener.Outcome(status, code, clientId, stage);
      each(listener -> listener.onOutcome(event));
    }
  }

  public void rateLimit(String limit, boolean allowed, String store) {
    if (any()) {
      GuardListener.RateLimitDecision event =
          new GuardListener.RateLimitDecision(limit, allowed, store);
      each(listener -> listener.onRateLimit(event));
    }
  }

  public void tokenVerification(boolean valid, ErrorCode code, boolean cached, long nanos) {
    if (any()) {
      GuardListener.TokenVerification event =
          new GuardListener.TokenVerification(valid, code, cached, nanos);
      each(listener -> listener.onTokenVerification(event));
    }
  }

  public void circuitTransition(String upstream, String from, String to) {
    if (any()) {
      GuardListener.CircuitTransition event =
          new GuardListener.CircuitTransition(upstream, from, to);
      each(listener -> listener.onCircuitTransition(event));
    }
  }

  public void exportSlot(String change, int active) {
    if (any()) {
      GuardListener.ExportSlot event = new GuardListener.ExportSlot(change, active);
      each(listener -> listener.onExportSlot(event));
    }
  }

  public void maintenance(boolean on) {
    if (any()) {
      each(listener -> listener.onMaintenance(on));
    }
  }

  private void each(Consumer<GuardListener> call) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        call.accept(listeners[i]);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable failure) {
        failed(i, failure);
      }
    }
  }

  private void failed(int index, Throwable failure) {
    long now = System.nanoTime();
    long last = lastLogged.get(index);
    if (last != 0 && now - last < LOG_INTERVAL_NANOS || !lastLogged.compareAndSet(index, last, now)) {
      hidden.incrementAndGet(index);
      return;
    }
    LOG.warn("A fhirguard listener ({}) failed; the request goes on ({} more failures of it in the"
            + " last minute not logged)", listeners[index].getClass().getName(),
        hidden.getAndSet(index, 0), LogSafe.throwable(failure));
  }
}
