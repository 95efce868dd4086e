package dev.fhirguard.cluster;

/**
 * Thrown at start-up when the shared store cannot be reached (or refuses the credentials) and
 * {@link ClusterSettings#required()} is true. Its message says what failed, never a password.
 */
public final class ClusterUnavailableException extends RuntimeException {

  public ClusterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
