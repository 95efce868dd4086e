package dev.fhirguard.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Replays a fuzz failure: with the system property {@code fuzz.seed} (for instance {@code mvn
 * test -Dtest=HeaderFuzzTest -Dfuzz.seed=3606148282010634301}) every jqwik property runs with that
 * seed instead of a random one. Registered for all properties through {@code
 * META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class FuzzSeed implements AroundPropertyHook {

  public static final String PROPERTY = "fuzz.seed";

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context,
      PropertyExecutor property) {
    String seed = System.getProperty(PROPERTY, "").trim();
    if (!seed.isEmpty()) {
      context.attributes().setSeed(seed);
    }
    return property.execute();
  }
}
