package dev.fhirguard.client.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirguard.sample.SampleServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real sample (fhirguard in front of HAPI FHIR on embedded Jetty) on 127.0.0.1, started once
 * for all test classes and stopped at the end of the run. Every call specific to the sample (its
 * start, port, token endpoint, demo clients, maintenance switch) is here and only here.
 *
 * <p>The rate limit period is 10 s instead of a minute, so the demo client {@code writer} (10
 * requests a period) is told to wait about a second, not six.
 */
public final class SampleFixture implements BeforeAllCallback {

  /** The demo clients of the sample (client_secret_basic) and their secrets. */
  private static final Map<String, String> SECRETS =
      Map.of("admin", "admin-secret", "writer", "writer-secret");

  private static final Map<String, String> SETTINGS = Map.of("fhirguard.rate-limit.period", "10s");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static volatile SampleServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(SampleFixture.class, key -> start(), Started.class);
  }

  private static Started start() {
    server = SampleServer.start("127.0.0.1", 0, SETTINGS);
    return new Started();
  }

  /** Stops the sample when JUnit closes the root store. */
  private static final class Started implements AutoCloseable {
    @Override
    public void close() {
      server.stop();
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public static String root() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The FHIR base URL, {@code http://127.0.0.1:<port>/fhir}. */
  public static String fhirBase() {
    return root() + "/fhir";
  }

  /** The id of a Patient the sample has. */
  public static String knownPatientId() {
    return "1";
  }

  /** An access token of demo client {@code admin} (every scope, 120 requests a period). */
  public static String adminToken() {
    return token("admin");
  }

  /** An access token of demo client {@code writer} (10 requests a period). */
  public static String writerToken() {
    return token("writer");
  }

  /** Switches the sample's maintenance mode (503 MAINTENANCE with Retry-After: 300). */
  public static void maintenance(boolean on) {
    post("/admin/maintenance?on=" + on);
  }

  private static void post(String adminPath) {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(root() + adminPath))
        .POST(HttpRequest.BodyPublishers.noBody()));
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(adminPath + " answered " + answer.statusCode());
    }
  }

  /**
   * Holds the sample's export jobs "in progress" (202 with {@code X-Progress}) or lets them run
   * to the end ({@code run} answers when every job has ended).
   */
  public static void holdExports(boolean hold) {
    post("/admin/export?mode=" + (hold ? "hold" : "run"));
  }

  /** An export of the sample's Group 1: its Patients and their Observations. */
  public static String groupExport() {
    return "Group/1/$export?_type=Patient,Observation";
  }

  /** The {@code Retry-After} of a running export's status answer. */
  public static Duration exportPollInterval() {
    return Duration.ofSeconds(2);
  }

  /** The {@code Retry-After} of a kick-off refused because the client's export runs. */
  public static Duration exportLimitRetryAfter() {
    return Duration.ofMinutes(1);
  }

  /** The {@code Retry-After} the sample's maintenance mode sends. */
  public static Duration maintenanceRetryAfter() {
    return Duration.ofMinutes(5);
  }

  private static String token(String client) {
    String basic = Base64.getEncoder().encodeToString(
        (client + ":" + SECRETS.get(client)).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(root() + "/auth/token"))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("token endpoint answered " + answer.statusCode());
    }
    try {
      return new ObjectMapper().readTree(answer.body()).path("access_token").asText();
    } catch (IOException e) {
      throw new IllegalStateException("token endpoint answered no JSON", e);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("the sample did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
