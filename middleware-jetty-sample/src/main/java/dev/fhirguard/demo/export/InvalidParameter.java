package dev.fhirguard.demo.export;

/** A kick-off parameter (or the {@code Prefer} header) the sample cannot accept. */
final class InvalidParameter extends Exception {

  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final String value;

  /**
   * @param parameter the parameter or header at fault
   * @param value what the client sent, or {@code null}
   * @param problem what is wrong with it, for the client
   */
  InvalidParameter(String parameter, String value, String problem) {
    super(problem, null, false, false);
    this.parameter = parameter;
    this.value = value;
  }

  String parameter() {
    return parameter;
  }

  String value() {
    return value;
  }

  String problem() {
    return getMessage();
  }
}
