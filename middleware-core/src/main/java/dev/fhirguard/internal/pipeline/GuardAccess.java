package dev.fhirguard.internal.pipeline;

import dev.fhirguard.internal.outcome.ContainerErrors;
import java.util.function.Function;

/**
 * Lets fhirguard's own integration packages reach a guard's internals without making them public
 * API. {@code FhirGuard} registers the accessor when its class is initialized.
 */
public final class GuardAccess {

  private static volatile Function<Object, ContainerErrors> containerErrors;

  private GuardAccess() {}

  /** Called once, by {@code FhirGuard}; any later call is refused. */
  public static synchronized void register(Function<Object, ContainerErrors> accessor) {
    if (containerErrors != null) {
      throw new IllegalStateException("the fhirguard accessor is already registered");
    }
    containerErrors = accessor;
  }

  public static ContainerErrors containerErrors(Object guard) {
    return containerErrors.apply(guard);
  }
}
