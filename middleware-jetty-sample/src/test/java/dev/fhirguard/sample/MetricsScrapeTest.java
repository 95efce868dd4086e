package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.demo.admin.LoopbackAdminServlet;
import dev.fhirguard.demo.auth.SampleTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample's {@code GET /metrics}, scraped over real HTTP and parsed as Prometheus text: a
 * scripted tour (reads, 401s, a 403, a 429, maintenance on and off, an opened circuit, an export
 * kick-off and its cancel) moves each fhirguard meter by exactly what it did.
 */
class MetricsScrapeTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static SampleServer server;
  private static String root;
  private static Scrape before;
  private static Scrape after;
  private static final List<Integer> statuses = new ArrayList<>();

  @BeforeAll
  static void runTheTour() throws Exception {
    server = SampleServer.start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + server.port();
    String admin = SampleTokens.withSecret(root, "admin", "admin-secret");
    String writer = SampleTokens.withSecret(root, "writer", "writer-secret");
    String reader = SampleTokens.withSecret(root, "patient-reader", "patient-reader-secret");
    before = scrape();
    for (int i = 0; i < 3; i++) {
      send("GET", "/fhir/Patient/1", admin); // 200: a miss, then two cache hits
    }
    send("GET", "/fhir/Patient/1", null); // 401 TOKEN_MISSING, twice
    send("GET", "/fhir/Patient/1", null);
    send("GET", "/fhir/Patient/1", "not-a-jwt"); // 401, a token refused
    send("GET", "/fhir/Patient?name=smi", reader); // 403: read, but no search
    for (int i = 0; i < 11; i++) {
      send("GET", "/fhir/Patient?_count=1", writer); // 10 x 200, then 429
    }
    send("POST", "/admin/maintenance?on=true", null);
    send("GET", "/fhir/Patient/1", admin); // 503 MAINTENANCE
    send("POST", "/admin/maintenance?on=false", null);
    send("POST", "/admin/backend?mode=down", null);
    for (int i = 0; i < 6; i++) {
      send("GET", "/fhir/Observation/1", admin); // 5 x 502, then 503 CIRCUIT_OPEN
    }
    send("POST", "/admin/backend?mode=up", null);
    HttpResponse<String> kickoff = HTTP.send(request("GET", "/fhir/$export", admin)
        .header("Prefer", "respond-async").build(), HttpResponse.BodyHandlers.ofString());
    statuses.add(kickoff.statusCode());
    Scrape running = scrape();
    assertEquals(1, running.value("fhirguard_exports_active"), "the job holds a slot");
    String status = kickoff.headers().firstValue("Content-Location").orElseThrow();
    statuses.add(HTTP.send(request("DELETE", URI.create(status), admin).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    after = scrape();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void the_tour_answered_as_scripted() {
    assertEquals(List.of(200, 200, 200, 401, 401, 401, 403,
        200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 429,
        200, 503, 200, 200, 502, 502, 502, 502, 502, 503, 200, 202, 202), statuses);
  }

  @Test
  void rate_limit_decisions_moved_by_each_request_that_reached_a_limit() {
    // Every request but the 503 of maintenance met the address limit: the tour's, less that one,
    // plus the two scrapes after the first (each counts itself).
    assertEquals(statuses.size() - 1 + 2, delta("fhirguard_rate_limit_decisions_total", "limit", "address",
        "result", "allowed", "store", "local"));
    // Verified clients: 3 + 1 + 10 reads, 6 Observation reads, the kick-off and its cancel.
    assertEquals(3 + 1 + 10 + 6 + 2, delta("fhirguard_rate_limit_decisions_total",
        "limit", "client", "result", "allowed", "store", "local"));
    assertEquals(1, delta("fhirguard_rate_limit_decisions_total", "limit", "client",
        "result", "refused", "store", "local"));
    // Without a token, on paths that need none: the 4 admin switches and the two scrapes.
    assertEquals(4 + 2, delta("fhirguard_rate_limit_decisions_total", "limit", "anonymous",
        "result", "allowed", "store", "local"));
  }

  @Test
  void token_checks_moved_by_verdict_and_cache_hit() {
    String count = "fhirguard_token_verifications_seconds_count";
    // Each client's first token is a miss; then admin's 2 reads, 6 Observation reads, the
    // kick-off and its cancel, and writer's 10 are hits (maintenance refuses before any check).
    assertEquals(3, delta(count, "result", "valid", "cache", "miss"), "admin, reader, writer");
    assertEquals(2 + 6 + 2 + 10, delta(count, "result", "valid", "cache", "hit"));
    assertEquals(1, after.sum(count, "cache", "miss") - before.sum(count, "cache", "miss")
        - delta(count, "result", "valid", "cache", "miss"), "one refused token");
  }

  @Test
  void maintenance_the_circuit_and_the_export_slot_each_moved_once() {
    assertEquals(1, delta("fhirguard_maintenance_switches_total", "state", "on"));
    assertEquals(1, delta("fhirguard_maintenance_switches_total", "state", "off"));
    assertEquals(0, after.value("fhirguard_maintenance"));
    assertEquals(1, delta("fhirguard_circuit_transitions_total", "upstream", "observations",
        "from", "CLOSED", "to", "OPEN"));
    assertEquals(1, after.value("resilience4j_circuitbreaker_state", "name", "observations",
        "state", "open"));
    assertEquals(1, delta("fhirguard_export_slots_total", "change", "started"));
    assertEquals(1, delta("fhirguard_export_slots_total", "change", "ended"));
    assertEquals(0, after.value("fhirguard_exports_active"));
    assertEquals(1, after.value("fhirguard_requests_in_flight"), "the scrape itself");
  }

  @Test
  void refusals_and_outcomes_moved_by_status_and_code() {
    assertEquals(2, delta("fhirguard_refusals_total", "reason", "TOKEN_MISSING"));
    assertEquals(1, delta("fhirguard_refusals_total", "reason", "RATE_LIMITED"));
    assertEquals(1, delta("fhirguard_refusals_total", "reason", "MAINTENANCE"));
    assertEquals(3, delta("fhirguard_outcomes_total", "status", "401"));
    assertEquals(1, delta("fhirguard_outcomes_total", "status", "403"));
    assertEquals(1, delta("fhirguard_outcomes_total", "status", "429"));
    assertEquals(5, delta("fhirguard_outcomes_total", "status", "502"));
    assertEquals(2, delta("fhirguard_outcomes_total", "status", "503"));
    assertEquals(1, delta("fhirguard_outcomes_total", "code", "CIRCUIT_OPEN"));
  }

  @Test
  void no_series_names_a_client() {
    assertFalse(after.text.contains("writer") || after.text.contains("admin")
        || after.text.contains("patient-reader"), "a client id in a tag");
  }

  @Test
  void metrics_answer_only_on_this_machine() {
    assertTrue(LoopbackAdminServlet.isLoopback("127.0.0.1"));
    assertTrue(LoopbackAdminServlet.isLoopback("127.8.9.10"));
    assertTrue(LoopbackAdminServlet.isLoopback("0:0:0:0:0:0:0:1"));
    assertTrue(LoopbackAdminServlet.isLoopback("::1"));
    assertFalse(LoopbackAdminServlet.isLoopback("10.0.0.7"));
    assertFalse(LoopbackAdminServlet.isLoopback("203.0.113.9"));
    assertFalse(LoopbackAdminServlet.isLoopback("fe80::1"));
    assertFalse(LoopbackAdminServlet.isLoopback("localhost"), "a name is never resolved");
    assertFalse(LoopbackAdminServlet.isLoopback(""));
    assertFalse(LoopbackAdminServlet.isLoopback(null));
  }

  private static double delta(String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static HttpRequest.Builder request(String method, String path, String token) {
    return request(method, URI.create(root + path), token);
  }

  private static HttpRequest.Builder request(String method, URI uri, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(20));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private static void send(String method, String path, String token) throws Exception {
    statuses.add(HTTP.send(request(method, path, token).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
  }

  private static Scrape scrape() throws Exception {
    HttpResponse<String> response = HTTP.send(request("GET", "/metrics", null).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return new Scrape(response.body());
  }

  /** One scrape in Prometheus' text format: each sample's name, labels and value. */
  private static final class Scrape {

    private static final Pattern SAMPLE =
        Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final String text;
    final List<Map.Entry<String, Map<String, String>>> names = new ArrayList<>();
    final List<Double> values = new ArrayList<>();

    Scrape(String text) {
      this.text = text;
      for (String line : text.split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (line.startsWith("#") || !sample.matches()) {
          continue;
        }
        Map<String, String> labels = new TreeMap<>();
        Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
        names.add(Map.entry(sample.group(1), labels));
        values.add(Double.parseDouble(sample.group(3)));
      }
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    double sum(String name, String... labels) {
      double sum = 0;
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).getKey().equals(name) && has(names.get(i).getValue(), labels)) {
          sum += values.get(i);
        }
      }
      return sum;
    }

    /** The one sample named {@code name} with {@code labels}. */
    double value(String name, String... labels) {
      long found = names.stream()
          .filter(entry -> entry.getKey().equals(name) && has(entry.getValue(), labels)).count();
      assertEquals(1, found, () -> name + " " + List.of(labels) + " in\n" + text);
      return sum(name, labels);
    }

    private static boolean has(Map<String, String> actual, String... labels) {
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (!labels[i + 1].equals(actual.get(labels[i]))) {
          return false;
        }
      }
      return true;
    }
  }
}
