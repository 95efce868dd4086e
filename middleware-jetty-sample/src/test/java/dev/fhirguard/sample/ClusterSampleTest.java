package dev.fhirguard.sample;

import static dev.fhirguard.sample.ClusterReplicas.await;
import static dev.fhirguard.sample.ClusterReplicas.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.demo.auth.SampleTokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two sample replicas sharing one real Redis, over real HTTP: a client's rate limit, its export
 * slots and the maintenance switch hold across them; and a replica in a JVM of its own shares the
 * limit too. Each replica signs tokens with a key it generates at start-up, so a client takes a
 * token from the replica it calls; the limits are keyed by client id, so they are shared anyway.
 */
class ClusterSampleTest {

  private static ClusterReplicas cluster;
  private static String a;
  private static String b;

  @BeforeAll
  static void start() {
    cluster = new ClusterReplicas();
    a = cluster.start();
    b = cluster.start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void a_clients_limit_admits_exactly_its_capacity_across_replicas_under_64_threads()
      throws Exception {
    Map<String, String> tokens = Map.of(a, SampleTokens.withSecret(a, "admin", "admin-secret"),
        b, SampleTokens.withSecret(b, "admin", "admin-secret"));
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(64);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String root = i % 2 == 0 ? a : b;
        calls.add(threads.submit(() -> statuses.computeIfAbsent(
            get(root + "/fhir/Patient?_count=1", tokens.get(root)).statusCode(),
            status -> new AtomicInteger()).incrementAndGet()));
      }
      for (Future<?> call : calls) {
        call.get(2, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(100, statuses.get(200).get(), "admitted: " + statuses);
    assertEquals(200, statuses.get(429).get(), "refused: " + statuses);
    assertEquals(2, statuses.size(), "nothing else: " + statuses);
  }

  @Test
  void a_kickoff_on_one_replica_takes_the_clients_only_export_slot_on_the_other() throws Exception {
    HttpResponse<String> started = kickoff(a);
    assertEquals(202, started.statusCode(), started.body());

    HttpResponse<String> refused = kickoff(b);
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("EXPORT_LIMIT_REACHED"), refused.body());
  }

  @Test
  void maintenance_switched_on_one_replica_reaches_the_other_and_back_off() {
    try {
      assertEquals(200, post(a + "/admin/maintenance?on=true").statusCode());
      await(Duration.ofSeconds(10),
          () -> get(b + "/fhir/Patient", null).statusCode() == 503, "B in maintenance");
      assertEquals(200, post(b + "/admin/maintenance?on=false").statusCode());
      await(Duration.ofSeconds(10),
          () -> get(a + "/fhir/Patient", null).statusCode() == 401, "A out of maintenance");
    } finally {
      post(a + "/admin/maintenance?on=false");
    }
  }

  @Test
  void a_replica_in_another_jvm_shares_the_limit() throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReplicaMain.class.getName()));
    cluster.settings().forEach((key, value) -> command.add(key + "=" + value));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String other = "http://127.0.0.1:" + portOf(child);
      // "writer" has 10 requests an hour, whichever replica (and JVM) it calls
      Map<String, String> tokens = Map.of(a, SampleTokens.withSecret(a, "writer", "writer-secret"),
          other, SampleTokens.withSecret(other, "writer", "writer-secret"));
      int admitted = 0;
      for (int i = 0; i < 30; i++) {
        String root = i % 2 == 0 ? a : other;
        int status = get(root + "/fhir/Patient?_count=1", tokens.get(root)).statusCode();
        assertTrue(status == 200 || status == 429, "status " + status);
        admitted += status == 200 ? 1 : 0;
      }
      assertEquals(10, admitted);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Reads the child's output until it prints its port (at most two minutes). */
  private static int portOf(Process child) throws Exception {
    BufferedReader output = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = output.readLine()) != null; ) {
          if (line.startsWith("PORT=")) {
            CompletableFuture.runAsync(() -> output.lines().forEach(ignored -> { }));
            return Integer.parseInt(line.substring(5));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new IllegalStateException("the replica ended without a port");
    });
    return port.get(2, TimeUnit.MINUTES);
  }

  private static HttpResponse<String> kickoff(String root) throws Exception {
    String token = SampleTokens.withAssertion(root, "bulk-exporter", null);
    return ClusterReplicas.send(HttpRequest.newBuilder(URI.create(root + "/fhir/$export"))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/fhir+json")
        .header("Prefer", "respond-async")
        .timeout(Duration.ofSeconds(30)).GET().build());
  }

  private static HttpResponse<String> post(String url) {
    return ClusterReplicas.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }
}
