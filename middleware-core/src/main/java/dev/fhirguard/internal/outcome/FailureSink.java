package dev.fhirguard.internal.outcome;

import java.io.IOException;

/**
 * A response that answers a failure itself (the error boundary's response wrapper): a refusal
 * found on a response that is or wraps one goes through it, so the boundary knows its answer.
 */
public interface FailureSink {

  /** Answers with {@code failure} instead of whatever was started; logs when too late. */
  void fail(Failure failure) throws IOException;

  /** The sink {@code response} is or wraps, or {@code null} when there is none. */
  static FailureSink in(jakarta.servlet.ServletResponse response) {
    for (jakarta.servlet.ServletResponse r = response; r != null; ) {
      if (r instanceof FailureSink sink) {
        return sink;
      }
      r = r instanceof jakarta.servlet.ServletResponseWrapper w ? w.getResponse() : null;
    }
    return null;
  }
}
