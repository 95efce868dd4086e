package dev.fhirguard.demo.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirguard.demo.auth.SampleTokens;
import dev.fhirguard.sample.SampleServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real sample on a loopback port for one test class, with the export poll interval set to
 * 0 s unless the class says otherwise (every test polls as soon as it likes; the
 * one-export-per-client limit stays on, so each test finishes or cancels its job), and an HTTP
 * client that speaks Bulk Data.
 */
final class ExportSample implements BeforeAllCallback, AfterAllCallback {

  static final String EXPORTER = "bulk-exporter";

  /** Texts that never appear in an error: the backend's address or name, exception texts. */
  static final List<String> NEVER_SHOWN = List.of("127.0.0.1", "localhost", "java.", "refused",
      "observations", "ehr-db-1", "at dev.");

  /** An exception's class name ({@code ConnectException}); {@code exception} is an issue code. */
  private static final Pattern EXCEPTION_NAME = Pattern.compile("[A-Za-z]Exception\\b");

  private final String minPollInterval;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private SampleServer server;
  private String root;
  private String exporterToken;

  /** Polls at any pace. */
  ExportSample() {
    this("0s");
  }

  /** Polls of a job at least {@code minPollInterval} apart (fhirguard's setting). */
  ExportSample(String minPollInterval) {
    this.minPollInterval = minPollInterval;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // Export tests kick off and poll far faster than the sample's limits allow (SampleLimitsTest
    // covers those): a bucket no export test empties.
    server = SampleServer.start("127.0.0.1", 0, Map.of(
        "fhirguard.export.min-poll-interval", minPollInterval,
        "fhirguard.rate-limit.capacity", "100000"));
    root = "http://127.0.0.1:" + server.port();
    exporterToken = SampleTokens.withAssertion(root, EXPORTER, null);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.stop();
  }

  String root() {
    return root;
  }

  /** The {@code bulk-exporter} client's token ({@code system/*.rs}). */
  String exporter() {
    return exporterToken;
  }

  String tokenOf(String clientId, String secret) throws Exception {
    return SampleTokens.withSecret(root, clientId, secret);
  }

  /** A GET kick-off of {@code pathAndQuery} with {@code Prefer: respond-async}. */
  HttpResponse<String> kickoff(String pathAndQuery, String token) {
    return send(request(root + pathAndQuery, token).header("Prefer", "respond-async").GET());
  }

  /** A POST kick-off with a {@code Parameters} body of name/value pairs ({@code valueString}). */
  HttpResponse<String> kickoffPost(String path, String token, String... parameters) {
    StringBuilder body = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[");
    for (int i = 0; i < parameters.length; i += 2) {
      body.append(i == 0 ? "" : ",").append("{\"name\":\"").append(parameters[i])
          .append("\",\"valueString\":\"").append(parameters[i + 1]).append("\"}");
    }
    body.append("]}");
    return send(request(root + path, token).header("Prefer", "respond-async")
        .header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** A GET of an absolute URL (a status URL, a file) with optional header name/value pairs. */
  HttpResponse<String> get(String url, String token, String... headers) {
    HttpRequest.Builder request = request(url, token).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> delete(String url, String token) {
    return send(request(url, token).DELETE());
  }

  /** A request of {@code method} to {@code path} under the sample's root. */
  HttpResponse<String> send(String method, String path, String token, String body) {
    return send(request(root + path, token).header("Content-Type", "application/fhir+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Holds export jobs before their next type: their status URL answers 202. */
  void hold() {
    assertEquals(200, admin("/admin/export?mode=hold").statusCode());
  }

  /** Lets export jobs run and returns once every job has ended. */
  void run() {
    HttpResponse<String> response = admin("/admin/export?mode=run");
    assertEquals(200, response.statusCode(), response.body());
  }

  /** Switches the Observation backend: {@code up}, {@code down}, ... */
  void backend(String mode) {
    assertEquals(200, admin("/admin/backend?mode=" + mode).statusCode());
  }

  /** Kick-off answered 202: its absolute status URL from {@code Content-Location}. */
  String started(HttpResponse<String> kickoff) {
    assertEquals(202, kickoff.statusCode(), kickoff.body());
    String location = kickoff.headers().firstValue("Content-Location").orElseThrow();
    assertTrue(location.matches(
        root.replace(".", "\\.") + "/fhir/\\$export-poll-status\\?_jobId=[0-9a-f-]{36}"),
        location);
    return location;
  }

  /** Runs the jobs and polls {@code statusUrl}: the 200 manifest. */
  HttpResponse<String> finished(String statusUrl) {
    run();
    HttpResponse<String> manifest = get(statusUrl, exporterToken);
    assertEquals(200, manifest.statusCode(), manifest.body());
    return manifest;
  }

  /** The status, parsed OperationOutcome and catalog code of an error answer. */
  static OperationOutcome outcome(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("")
        .startsWith("application/fhir+json"), response.headers().map().toString());
    OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
        .parseResource(OperationOutcome.class, response.body());
    assertEquals(code, outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode(),
        response.body());
    assertNothingInternal(response.body());
    return outcome;
  }

  static void assertNothingInternal(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    for (String text : NEVER_SHOWN) {
      assertFalse(lower.contains(text), () -> "'" + text + "' leaked: " + body);
    }
    assertFalse(EXCEPTION_NAME.matcher(body).find(), () -> "an exception leaked: " + body);
  }

  static String diagnostics(OperationOutcome outcome) {
    return outcome.getIssueFirstRep().getDiagnostics();
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static String describe(HttpResponse<?> response) {
    return response.request().method() + " " + response.uri() + " -> " + response.statusCode()
        + " " + response.headers().map().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  private HttpResponse<String> admin(String path) {
    return send(HttpRequest.newBuilder(URI.create(root + path))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static HttpRequest.Builder request(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "application/fhir+json");
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(40)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
