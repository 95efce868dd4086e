package dev.fhirguard.client;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.client.internal.Answer;
import dev.fhirguard.client.internal.ExportHttp;
import dev.fhirguard.client.internal.FailureNotes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A FHIR Bulk Data export client that follows the server: kick-off with {@code Prefer:
 * respond-async}, polling at the pace of {@code Retry-After} (reporting {@code X-Progress}) within
 * a time budget, downloads with the token, cancel with {@code DELETE}. Failures are {@link
 * BulkExportException}s naming the transaction id. Works with any Bulk Data server.
 *
 * <pre>{@code
 * BulkExportClient exports = BulkExportClient.builder(fhirContext, "https://host/fhir")
 *     .accessToken(tokens::current).build();
 * ExportJob job = exports.kickOff("Group/1/$export?_type=Patient,Observation");
 * ExportManifest manifest = job.await(progress -> log.info("export: {}", progress));
 * for (ExportManifest.File file : manifest.output()) {
 *   job.download(file, dir.resolve(file.type() + "-" + n++ + ".ndjson"));
 * }
 * job.cancel(); // the server may delete the files now
 * }</pre>
 */
public final class BulkExportClient {

  public static final Duration DEFAULT_POLL_BUDGET = Duration.ofHours(1);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(1);

  private static final Map<String, String> KICKOFF_HEADERS =
      Map.of("Accept", "application/fhir+json", "Prefer", "respond-async");

  private final String baseUrl;
  private final Duration pollBudget;
  private final ExportHttp http;

  private BulkExportClient(Builder builder) {
    this.baseUrl = builder.baseUrl.endsWith("/")
        ? builder.baseUrl.substring(0, builder.baseUrl.length() - 1) : builder.baseUrl;
    this.pollBudget = builder.pollBudget;
    String codeSystem = builder.codeSystem;
    this.http = new ExportHttp(builder.httpClient, builder.retryPolicy.rules(),
        builder.accessToken, builder.mdcRequestIdKey, codeSystem, builder.context,
        builder.requestTimeout, (answer, note, message, cause) -> new BulkExportException(
            message, details(answer, note, codeSystem), cause));
  }

  /** A builder for exports from the FHIR server at {@code baseUrl} (FHIR version of context). */
  public static Builder builder(FhirContext context, String baseUrl) {
    return new Builder(context, baseUrl);
  }

  /**
   * Starts an export by {@code GET [base]/operation}, e.g. {@code $export}, {@code
   * Patient/$export?_type=Patient} or {@code Group/1/$export}; 429 and 503 answers are retried
   * as the {@link RetryPolicy} says.
   *
   * @throws BulkExportException when the server refuses it or answers without a status URL
   */
  public ExportJob kickOff(String operation) {
    URI uri = URI.create(operation.startsWith("http://") || operation.startsWith("https://")
        ? operation : baseUrl + "/" + (operation.startsWith("/") ? operation.substring(1)
        : operation));
    HttpResponse<InputStream> response = http.send("GET", uri, KICKOFF_HEADERS, true);
    discard(response);
    String statusUrl = response.headers().firstValue("Content-Location").orElse(null);
    if (response.statusCode() != 202 || statusUrl == null) {
      throw new BulkExportException("The export kick-off answered " + response.statusCode()
          + " without a status URL (Content-Location); the server may not run exports"
          + " asynchronously", null, null);
    }
    return resume(statusUrl);
  }

  /** The job of a status URL from an earlier kick-off (to poll it again, or cancel it). */
  public ExportJob resume(String statusUrl) {
    return new ExportJob(URI.create(statusUrl), http, pollBudget);
  }

  /** Reads and closes a body nothing is expected in (so the connection can be reused). */
  static void discard(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      body.readNBytes(1 << 16);
    } catch (IOException e) {
      // Nothing was expected in it.
    }
  }

  private static FailureDetails details(Answer answer, FailureNotes.Note note,
      String codeSystem) {
    return answer == null ? null : new FailureDetails(answer.status(), answer.headers(),
        answer.outcome(), codeSystem, Instant.now(), note);
  }

  /** Builds a {@link BulkExportClient}. */
  public static final class Builder {

    private final FhirContext context;
    private final String baseUrl;
    private Supplier<String> accessToken = () -> null;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration pollBudget = DEFAULT_POLL_BUDGET;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private String mdcRequestIdKey = FhirGuardClient.DEFAULT_MDC_REQUEST_ID_KEY;
    private String codeSystem = FhirGuardClient.DEFAULT_CODE_SYSTEM;
    private HttpClient httpClient =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Builder(FhirContext context, String baseUrl) {
      this.context = Objects.requireNonNull(context, "context");
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /**
     * The bearer token, asked for before each request (so it may be renewed); {@code null} sends
     * none. Default none.
     */
    public Builder accessToken(Supplier<String> accessToken) {
      this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /** Retries of the kick-off, downloads, cancel and failed polls. Default the defaults. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** The longest {@link ExportJob#await} waits for a job to complete. Default 1 h. */
    public Builder pollBudget(Duration pollBudget) {
      if (Objects.requireNonNull(pollBudget, "pollBudget").isNegative()) {
        throw new IllegalArgumentException("pollBudget must not be negative but was " + pollBudget);
      }
      this.pollBudget = pollBudget;
      return this;
    }

    /** The timeout of one HTTP request (a download included). Default 1 min. */
    public Builder requestTimeout(Duration requestTimeout) {
      if (Objects.requireNonNull(requestTimeout, "requestTimeout").isNegative()
          || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive but was "
            + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** As {@link FhirGuardClient.Builder#mdcRequestIdKey(String)}. Default {@code requestId}. */
    public Builder mdcRequestIdKey(String key) {
      this.mdcRequestIdKey = FhirGuardClient.checkMdcKey(key);
      return this;
    }

    /** As {@link FhirGuardClient.Builder#codeSystem(String)}. */
    public Builder codeSystem(String codeSystem) {
      this.codeSystem = Objects.requireNonNull(codeSystem, "codeSystem");
      return this;
    }

    /** The HTTP client. Default a new one with a 10 s connect timeout. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public BulkExportClient build() {
      return new BulkExportClient(this);
    }
  }
}
