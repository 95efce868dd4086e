package dev.fhirguard;

import dev.fhirguard.internal.outcome.ExceptionClassifier;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.outcome.Throwables;
import dev.fhirguard.internal.upstream.UpstreamCircuit;
import java.util.concurrent.Callable;

/**
 * Calls to one named upstream, through its circuit breaker. Get it from {@link
 * FhirGuard#upstream(String)}:
 *
 * <pre>{@code
 * Observation observation = guard.upstream("ehr").call(() -> ehrClient.read(id));
 * }</pre>
 *
 * <p>While the circuit is open, {@link #call} fails fast with an {@link UpstreamException} for a
 * 503 {@link ErrorCode#CIRCUIT_OPEN} whose {@code Retry-After} is the time left until the next
 * probe. A call that fails with a connection, timeout or mapped exception is rethrown as an
 * {@link UpstreamException} naming this upstream; other unchecked exceptions are rethrown as they
 * are. Failures that answer 500, 502, 503 or 504 count against the circuit; slow calls count too.
 */
public final class Upstream {

  private final String name;
  private final UpstreamCircuit circuit;
  private final ExceptionClassifier classifier;

  Upstream(String name, UpstreamCircuit circuit, ExceptionClassifier classifier) {
    this.name = name;
    this.circuit = circuit;
    this.classifier = classifier;
  }

  /** The upstream's configured name. */
  public String name() {
    return name;
  }

  /**
   * Runs {@code call} unless the circuit is open, and returns its result.
   *
   * @throws UpstreamException when the circuit is open, or the call failed in a way fhirguard
   *     classifies (a checked exception it does not classify is wrapped for a 500)
   * @throws RuntimeException the call's own unchecked exception when it is not classified
   */
  public <T> T call(Callable<T> call) {
    if (!circuit.tryAcquire()) {
      throw new UpstreamException(name, ErrorCode.CIRCUIT_OPEN, circuit.retryAfter(), null);
    }
    long start = System.nanoTime();
    T result;
    try {
      result = call.call();
    } catch (Throwable error) {
      throw failed(error, System.nanoTime() - start);
    }
    circuit.succeeded(System.nanoTime() - start);
    return result;
  }

  /** The circuit's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
  public String circuitState() {
    return circuit.state();
  }

  private RuntimeException failed(Throwable error, long nanos) {
    if (error instanceof Error fatal) {
      circuit.ignored();
      throw fatal;
    }
    if (error instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Failure failure = classifier.classify(error, "GET", null);
    if (failure.code().isServerError() && failure.status() != 501) {
      circuit.failed(nanos, error);
    } else {
      circuit.ignored();
    }
    return rethrowable(error, classifier.upstreamFailure(error));
  }

  /** The exception the caller gets: named after this upstream when fhirguard classified it. */
  private RuntimeException rethrowable(Throwable error, Failure upstreamFailure) {
    if (upstreamFailure != null && !namesAnUpstream(error)) {
      return new UpstreamException(name, upstreamFailure.code(), null, error);
    }
    if (error instanceof RuntimeException unchecked) {
      return unchecked;
    }
    UpstreamException inner = upstreamIn(error);
    if (inner != null) { // a checked wrapper (ExecutionException) keeps the inner status
      return new UpstreamException(
          inner.upstream(), inner.code(), inner.retryAfter().orElse(null), error);
    }
    return new UpstreamException(name, ErrorCode.INTERNAL_ERROR, null, error);
  }

  private static boolean namesAnUpstream(Throwable error) {
    return upstreamIn(error) != null;
  }

  private static UpstreamException upstreamIn(Throwable error) {
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof UpstreamException upstream) {
        return upstream;
      }
    }
    return null;
  }
}
