package dev.fhirguard.client;

import dev.fhirguard.client.internal.Answer;
import dev.fhirguard.client.internal.ExportHttp;
import dev.fhirguard.client.internal.OutcomeReader;
import dev.fhirguard.client.internal.RetryAfterHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A running (or finished) export, known by its status URL: {@link #await} polls it to completion,
 * {@link #download} fetches its files, {@link #cancel} ends it. Made by {@link
 * BulkExportClient#kickOff} or {@link BulkExportClient#resume}.
 */
public final class ExportJob {

  private static final Map<String, String> STATUS_HEADERS = Map.of("Accept", "application/json");
  private static final Map<String, String> FILE_HEADERS =
      Map.of("Accept", "application/fhir+ndjson");
  private static final int MAX_MANIFEST = 16 << 20;

  private final URI statusUrl;
  private final ExportHttp http;
  private final Duration pollBudget;
  private volatile ExportManifest manifest;

  ExportJob(URI statusUrl, ExportHttp http, Duration pollBudget) {
    this.statusUrl = statusUrl;
    this.http = http;
    this.pollBudget = pollBudget;
  }

  /** The status URL (keep it to {@link BulkExportClient#resume} the job later). */
  public String statusUrl() {
    return statusUrl.toString();
  }

  /** {@link #await(Consumer)} without progress reports. */
  public ExportManifest await() {
    return await(progress -> { });
  }

  /**
   * Polls the status URL until the export is complete: after each 202 it waits the {@code
   * Retry-After} the server sent (else an exponential backoff) and hands {@code X-Progress} to
   * {@code progress}; a 429 (polled too soon) or a transient failure is retried by the {@link
   * RetryPolicy}; any other failure ends it.
   *
   * @throws BulkExportException when the job failed, is gone, the server keeps failing, the poll
   *     budget runs out (the job may still run: {@link #statusUrl()}) or the thread is interrupted
   */
  public ExportManifest await(Consumer<String> progress) {
    long start = http.rules().clock().nanoTime();
    int polls = 0;
    int failures = 0;
    long failuresStart = start;
    while (true) {
      String requestId = http.newRequestId();
      HttpResponse<InputStream> response =
          http.once("GET", statusUrl, STATUS_HEADERS, true, requestId);
      polls++;
      Duration delay;
      if (response.statusCode() == 200) {
        manifest = manifest(body(response));
        return manifest;
      } else if (response.statusCode() == 202) {
        failures = 0;
        response.headers().firstValue("X-Progress").ifPresent(progress);
        BulkExportClient.discard(response);
        delay = pollDelay(response, polls);
      } else {
        Answer answer = http.read(response);
        if (failures++ == 0) {
          failuresStart = http.rules().clock().nanoTime();
        }
        delay = http.retryDelay("GET", statusUrl, answer, judgedStatus(answer), requestId,
            failures, failuresStart);
      }
      checkBudget(start, delay);
      http.sleep(delay, "GET", statusUrl);
    }
  }

  /**
   * Downloads {@code file} of the manifest to {@code target} (replaced if it exists), with the
   * token when the manifest requires it.
   */
  public void download(ExportManifest.File file, Path target) {
    try (InputStream in = open(file)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Export file " + file.url() + " not saved: " + e, e);
    }
  }

  /** The content of {@code file} (NDJSON), to be closed by the caller. */
  public InputStream open(ExportManifest.File file) {
    ExportManifest known = manifest;
    boolean token = known == null || known.requiresAccessToken();
    return http.send("GET", URI.create(file.url()), FILE_HEADERS, token).body();
  }

  /** Cancels the job, or has a finished job's files deleted ({@code DELETE} the status URL). */
  public void cancel() {
    BulkExportClient.discard(http.send("DELETE", statusUrl, STATUS_HEADERS, true));
  }

  /** A 5xx whose outcome says {@code transient} is a polling failure, not a job failure. */
  private static int judgedStatus(Answer answer) {
    return answer.status() >= 500
        && OutcomeReader.hasIssueCode(answer.outcome(), "transient") ? 503 : answer.status();
  }


  private Duration pollDelay(HttpResponse<InputStream> response, int polls) {
    return RetryAfterHeader.parse(
            response.headers().firstValue(RetryAfterHeader.NAME).orElse(null),
            http.rules().clock().now())
        .orElseGet(() -> http.rules().backoffCeiling(polls));
  }

  private void checkBudget(long start, Duration delay) {
    Duration spent = Duration.ofNanos(http.rules().clock().nanoTime() - start);
    if (spent.plus(delay).compareTo(pollBudget) > 0) {
      throw new BulkExportException("The export at " + statusUrl + " is not complete after "
          + spent.toSeconds() + " s, and the next poll would overrun the poll budget of "
          + pollBudget.toSeconds() + " s; poll it again later", null, null);
    }
  }

  private ExportManifest manifest(String json) {
    try {
      return ExportManifest.parse(json);
    } catch (IllegalArgumentException e) {
      throw new BulkExportException("The export at " + statusUrl + " is complete, but its"
          + " manifest is not valid: " + e.getMessage(), null, e);
    }
  }

  private static String body(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      return new String(in.readNBytes(MAX_MANIFEST), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("The export manifest could not be read: " + e, e);
    }
  }
}
