package dev.fhirguard.internal.boundary;

import org.eclipse.jetty.io.QuietException;

/** {@link AbortedResponse} as Jetty's quiet kind; loaded only when Jetty is on the classpath. */
final class QuietAbortedResponse extends AbortedResponse implements QuietException {

  private static final long serialVersionUID = 1L;
}
