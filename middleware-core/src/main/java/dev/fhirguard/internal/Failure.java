package dev.fhirguard.internal;

import dev.fhirguard.ErrorCode;

/**
 * How an error is answered.
 *
 * @param status the HTTP status
 * @param code the catalog entry
 * @param message the error's own message, shown to clients only when it is a safe 4xx text
 */
public record Failure(int status, ErrorCode code, String message) {

  public static Failure of(ErrorCode code, String message) {
    return new Failure(code.status(), code, message);
  }

  public static Failure ofStatus(int status, String message) {
    return new Failure(status, ErrorCode.forStatus(status), message);
  }
}
