package dev.fhirguard.client.internal;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the interceptor knows of a failure that its exception cannot carry: the request id it sent
 * and the attempts made. Kept beside the exception object (weakly: gone with the exception), so
 * it is found from any thread that holds the exception.
 */
public final class FailureNotes {

  /** The request id sent (the transaction id when the server echoes none) and the attempts. */
  public record Note(String sentRequestId, int attempts) {}

  private static final Map<Throwable, Note> NOTES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private FailureNotes() {}

  public static void put(Throwable failure, Note note) {
    NOTES.put(failure, note);
  }

  /** The note of {@code failure}, or {@code null}. */
  public static Note of(Throwable failure) {
    return NOTES.get(failure);
  }
}
