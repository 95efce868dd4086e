package dev.fhirguard.demo.auth;

import java.util.List;

/**
 * Thrown at start-up when {@code sample-clients.properties} is not valid. The message lists every
 * problem at once; secrets never appear in it.
 */
public final class SampleClientsConfigException extends RuntimeException {

  private final List<String> problems;

  SampleClientsConfigException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    StringBuilder text = new StringBuilder("Invalid ")
        .append(ClientRegistry.RESOURCE)
        .append(" (")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  - ").append(problem);
    }
    return text.toString();
  }
}
