package dev.fhirguard.internal.outcome;

import java.util.ArrayList;
import java.util.List;

/** Walks an exception's cause chain, for the classifiers and the failure log. */
public final class Throwables {

  /** Causes examined at most: a chain can be a cycle, which must not spin a request thread. */
  public static final int MAX_CAUSES = 64;

  private Throwables() {}

  /**
   * {@code error} and its causes, outermost first: at most {@link #MAX_CAUSES}, each once (a
   * chain can be a cycle: A caused by B caused by A).
   */
  public static List<Throwable> causeChain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < MAX_CAUSES; t = t.getCause()) {
      for (Throwable seen : chain) {
        if (seen == t) {
          return chain;
        }
      }
      chain.add(t);
    }
    return chain;
  }
}
