package dev.fhirguard.client;

import java.util.Optional;

/**
 * A bulk export that could not go on: a kick-off, status poll, download or cancel the server
 * refused (then {@link #details()} has what it said), a connection failure, an interrupt, or a
 * job still running when the time budget ran out (its status URL can be polled again later with
 * {@link BulkExportClient#resume(String)}). The message names the transaction id.
 */
public final class BulkExportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient FailureDetails details;

  BulkExportException(String message, FailureDetails details, Throwable cause) {
    super(message, cause);
    this.details = details;
  }

  /** What the server answered, when the failure is an answer of the server. */
  public Optional<FailureDetails> details() {
    return Optional.ofNullable(details);
  }
}
