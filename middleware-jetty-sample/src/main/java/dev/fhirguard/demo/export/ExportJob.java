package dev.fhirguard.demo.export;

import dev.fhirguard.bulk.BulkExport.Manifest;
import dev.fhirguard.bulk.BulkExport.OutputFile;
import dev.fhirguard.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;

/**
 * One export job: who started it, what it exports, how far it got, and the NDJSON it produced
 * (held in memory; the sample's data is small and the number of jobs is bounded).
 */
final class ExportJob {

  enum State { RUNNING, COMPLETE, FAILED }

  /** A data file: its resource type, NDJSON content and number of lines. */
  private record Part(String type, byte[] ndjson, long count) {}

  private final String id;
  private final String owner;
  private final String kickoffRequestId;
  private final String request;
  private final String base;
  private final Instant transactionTime;
  private final ExportScope scope;
  private final List<Part> parts = new ArrayList<>();
  private final List<String> errorLines = new ArrayList<>();
  private final List<String> failedTypes = new ArrayList<>();
  private State state = State.RUNNING;
  private int typesDone;
  private Instant expiresAt;
  private Future<?> future;

  /**
   * @param owner the client id that started the job; {@code null} without authentication
   * @param kickoffRequestId the transaction id of the kick-off, for the log
   * @param request the kick-off URL
   * @param base the FHIR base URL the kick-off was sent to
   * @param notes error-file lines the job starts with (the kick-off parameters it ignores)
   */
  ExportJob(String id, String owner, String kickoffRequestId, String request, String base,
      Instant transactionTime, ExportScope scope, Duration keep, List<String> notes) {
    this.id = id;
    this.owner = owner;
    this.kickoffRequestId = kickoffRequestId;
    this.request = request;
    this.base = base;
    this.transactionTime = transactionTime;
    this.scope = scope;
    this.expiresAt = transactionTime.plus(keep);
    this.errorLines.addAll(notes);
  }

  String id() {
    return id;
  }

  ExportScope scope() {
    return scope;
  }

  String owner() {
    return owner;
  }

  String kickoffRequestId() {
    return kickoffRequestId;
  }

  boolean isOwnedBy(String clientId) {
    return Objects.equals(owner, clientId);
  }

  String statusUrl() {
    return ExportUrls.status(base, id);
  }

  synchronized State state() {
    return state;
  }

  synchronized Instant expiresAt() {
    return expiresAt;
  }

  synchronized void runs(Future<?> running) {
    this.future = running;
  }

  /** Stops the job's thread, if it still runs. */
  synchronized void stop() {
    if (future != null) {
      future.cancel(true);
    }
  }

  /** Records a type exported: its NDJSON (no file when empty). */
  synchronized void exported(String type, byte[] ndjson, long count) {
    if (count > 0) {
      parts.add(new Part(type, ndjson, count));
    }
    typesDone++;
  }

  /** Records a type that could not be exported, with its error-file line. */
  synchronized void failed(String type, ErrorCode reason, String errorLine) {
    errorLines.add(errorLine);
    failedTypes.add(type + ": " + reason.code());
    typesDone++;
  }

  /** Ends the job: failed when no type could be exported, else complete; kept for {@code keep}. */
  synchronized void finish(Instant now, Duration keep) {
    state = failedTypes.size() == scope.types().size() ? State.FAILED : State.COMPLETE;
    expiresAt = now.plus(keep);
  }

  /** The {@code X-Progress} text while it runs. */
  synchronized String progress() {
    return "in progress: " + typesDone + " of " + scope.types().size()
        + (scope.types().size() == 1 ? " type" : " types");
  }

  /** Why a failed job failed, for the client. */
  synchronized String failureReason() {
    return "None of the requested types could be exported (" + String.join("; ", failedTypes)
        + ").";
  }

  /** The completion manifest; the files need the access token when the job has an owner. */
  synchronized Manifest manifest() {
    List<OutputFile> output = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      output.add(new OutputFile(part.type(), ExportUrls.file(base, id, ExportUrls.dataFile(i)),
          part.count()));
    }
    List<OutputFile> error = errorLines.isEmpty() ? List.of() : List.of(OutputFile.errors(
        ExportUrls.file(base, id, ExportUrls.ERROR_FILE), (long) errorLines.size()));
    return new Manifest(transactionTime, request, owner != null, output, error);
  }

  /** The content of the file {@code name} of a completed job, or {@code null}. */
  synchronized byte[] file(String name) {
    if (state != State.COMPLETE) {
      return null;
    }
    if (ExportUrls.ERROR_FILE.equals(name) && !errorLines.isEmpty()) {
      return (String.join("\n", errorLines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
    for (int i = 0; i < parts.size(); i++) {
      if (ExportUrls.dataFile(i).equals(name)) {
        return parts.get(i).ndjson();
      }
    }
    return null;
  }
}
