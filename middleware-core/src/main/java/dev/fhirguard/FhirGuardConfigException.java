package dev.fhirguard;

import java.util.List;

/**
 * Thrown at start-up when the fhirguard configuration is not valid. The message lists every bad
 * key at once, with its value, where it came from and what was expected.
 */
public final class FhirGuardConfigException extends RuntimeException {

  private final List<String> problems;

  public FhirGuardConfigException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    StringBuilder text =
        new StringBuilder("Invalid fhirguard configuration (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  - ").append(problem);
    }
    return text.toString();
  }
}
