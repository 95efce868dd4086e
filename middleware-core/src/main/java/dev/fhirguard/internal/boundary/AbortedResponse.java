package dev.fhirguard.internal.boundary;

import java.io.IOException;

/**
 * Thrown to the container once fhirguard has logged a failure that happened after the response
 * was committed: the container then aborts the connection instead of ending the response
 * normally, so the client cannot take the partial body for a whole one. It carries no cause and
 * no detail (the failure is in fhirguard's ERROR line). On Jetty it is a quiet exception, which
 * Jetty logs at DEBUG only.
 */
class AbortedResponse extends IOException {

  private static final long serialVersionUID = 1L;

  private static final boolean JETTY = onClasspath("org.eclipse.jetty.io.QuietException");

  AbortedResponse() {
    super("response aborted after a failure once it was committed");
  }

  /** The exception to throw: the quiet kind where Jetty can recognise it. */
  static AbortedResponse create() {
    return JETTY ? new QuietAbortedResponse() : new AbortedResponse();
  }

  private static boolean onClasspath(String name) {
    try {
      Class.forName(name, false, AbortedResponse.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
