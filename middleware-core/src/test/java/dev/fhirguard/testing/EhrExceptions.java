package dev.fhirguard.testing;

/** Exceptions of an imaginary EHR client library, for the mappings tests make. */
public final class EhrExceptions {

  private EhrExceptions() {}

  /** Trouble text naming internals, which must stay in the log. */
  public static final String TROUBLE = "ehr-node-3.corp:7001 said: GetAllergy has no instance";

  /** The EHR could not be reached. */
  public static class EhrDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EhrDownException() {
      super(TROUBLE);
    }
  }

  /** A subclass, which the mapping of its parent covers. */
  public static final class EhrNodeDownException extends EhrDownException {
    private static final long serialVersionUID = 1L;
  }

  /** The EHR has no implementation of an action. */
  public static final class EhrActionMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EhrActionMissingException() {
      super(TROUBLE);
    }
  }

  /** Thrown by the named trigger: ehr-down, ehr-node-down, ehr-action-missing. */
  public static RuntimeException named(String trigger) {
    return switch (trigger) {
      case "ehr-down" -> new EhrDownException();
      case "ehr-node-down" -> new EhrNodeDownException();
      case "ehr-action-missing" -> new EhrActionMissingException();
      default -> new IllegalArgumentException("no such trigger: " + trigger);
    };
  }
}
