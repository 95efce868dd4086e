package dev.fhirguard.feature.limit;

import static dev.fhirguard.testing.LimitServer.header;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.LimitServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rate-limit headers over real HTTP: on successes, refusals and every kind of application
 * error; the IETF fields when asked for; none when switched off. Each test uses its own client,
 * so each starts with a full bucket (capacity 10, refilled in 10 s: a token a second).
 */
class RateLimitHeadersTest {

  private static final List<String> ALL_HEADERS = List.of("X-RateLimit-Limit",
      "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Policy", "RateLimit");
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private static LimitServer limited;

  @BeforeAll
  static void start() {
    limited = LimitServer.withClients(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "10",
        "fhirguard.rate-limit.period", "10s");
  }

  @AfterAll
  static void stop() {
    limited.close();
  }

  private static String newClient() {
    return "headers-" + CLIENTS.incrementAndGet();
  }

  private static void assertStanding(HttpResponse<String> response, int remaining, int reset) {
    for (String name : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")) {
      assertEquals(1, response.headers().allValues(name).size(), () -> name + " once: "
          + response.headers().map());
    }
    assertEquals("10", header(response, "X-RateLimit-Limit"), response::body);
    assertEquals(String.valueOf(remaining), header(response, "X-RateLimit-Remaining"));
    assertEquals(String.valueOf(reset), header(response, "X-RateLimit-Reset"));
  }

  @Test
  void a_success_tells_limit_remaining_and_seconds_until_the_bucket_is_full() {
    String client = newClient();
    HttpResponse<String> first = limited.get(client, "/fhir/Patient/1");
    assertEquals(200, first.statusCode(), first.body());
    assertStanding(first, 9, 1);
    for (int i = 0; i < 3; i++) {
      limited.get(client, "/plain/ok");
    }
    assertStanding(limited.get(client, "/plain/ok"), 5, 5);
  }

  @Test
  void the_reset_is_a_delay_that_shrinks_as_the_bucket_refills_not_an_epoch_time() {
    String client = newClient();
    for (int i = 0; i < 5; i++) {
      limited.get(client, "/plain/ok");
    }
    limited.advanceSeconds(2);
    // 5 left, 2 refilled, 1 taken: 6 left, 4 s to full
    assertStanding(limited.get(client, "/plain/ok"), 6, 4);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/plain/send-error/409, 409",
      "/plain/send-error-bare/400, 400",
      "/plain/status/403, 403",
      "/plain/html/503, 503",
      "/plain/throw, 500",
      "/plain/status-after-write/500, 500",
      "/fhir/Patient/unknown, 404",
      "/fhir/Patient/gone, 410",
      "/fhir/Patient/sql, 500",
      "/fhir/Patient/unprocessable, 422",
      "/fhir/NoSuchType/1, 404",
      "/nowhere/at/all, 404",
      "/plain/async-timeout, 503"})
  void an_application_error_still_carries_the_clients_standing(String path, int status) {
    HttpResponse<String> response = limited.get(newClient(), path);
    assertError(response, status, null);
    assertStanding(response, 9, 1);
  }

  @ParameterizedTest(name = "reset, then {0}")
  @CsvSource({"200", "409", "500"})
  void an_application_that_resets_its_response_does_not_erase_the_clients_standing(int status) {
    HttpResponse<String> response = limited.get(newClient(), "/plain/reset/" + status);
    assertEquals(status, response.statusCode(), response::body);
    assertTrue(response.headers().firstValue("X-App").isEmpty());
    assertStanding(response, 9, 1);
  }

  @Test
  void a_refusal_carries_the_standing_and_a_retry_after_that_matches_its_text() {
    String client = newClient();
    for (int i = 0; i < 10; i++) {
      assertEquals(200, limited.get(client, "/plain/ok").statusCode());
    }
    HttpResponse<String> refused = limited.get(client, "/fhir/Patient/1");
    assertEquals("Rate limit exceeded. Please retry after 1 second.",
        diagnostics(assertError(refused, 429, "RATE_LIMITED", false)));
    assertEquals("1", header(refused, "Retry-After"));
    assertStanding(refused, 0, 10);
  }

  @Test
  void a_refusal_in_xml_is_the_same_outcome() {
    String client = newClient();
    for (int i = 0; i < 10; i++) {
      limited.get(client, "/plain/ok");
    }
    HttpResponse<String> refused = limited.get(client, "/fhir/Patient/1?_format=xml");
    assertEquals("Rate limit exceeded. Please retry after 1 second.",
        diagnostics(assertError(refused, 429, "RATE_LIMITED", true)));
    assertStanding(refused, 0, 10);
  }

  @Test
  void a_head_request_carries_the_headers_too() {
    HttpResponse<String> head = limited.send(newClient(), "HEAD", "/plain/ok");
    assertStanding(head, 9, 1);
  }

  @Test
  void no_ietf_fields_unless_asked_for() {
    HttpResponse<String> response = limited.get(newClient(), "/plain/ok");
    assertTrue(response.headers().firstValue("RateLimit").isEmpty());
    assertTrue(response.headers().firstValue("RateLimit-Policy").isEmpty());
  }

  @Test
  void the_ietf_fields_name_the_client_policy_its_quota_window_remaining_and_reset() {
    try (LimitServer ietf = LimitServer.anonymous(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "5",
        "fhirguard.rate-limit.period", "90s",
        "fhirguard.rate-limit.ietf-headers", "true")) {
      HttpResponse<String> response = ietf.get(null, "/plain/ok");
      assertEquals("\"client\";q=5;w=90", header(response, "RateLimit-Policy"));
      assertEquals("\"client\";r=4;t=18", header(response, "RateLimit"));
      assertEquals("5", header(response, "X-RateLimit-Limit"));
    }
  }

  @Test
  void only_the_ietf_fields_when_the_classic_headers_are_off() {
    try (LimitServer ietf = LimitServer.anonymous(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.headers", "false",
        "fhirguard.rate-limit.ietf-headers", "true")) {
      HttpResponse<String> response = ietf.get(null, "/plain/ok");
      assertEquals("\"client\";r=999;t=1", header(response, "RateLimit"));
      assertTrue(response.headers().firstValue("X-RateLimit-Limit").isEmpty());
      assertTrue(response.headers().firstValue("X-RateLimit-Remaining").isEmpty());
      assertTrue(response.headers().firstValue("X-RateLimit-Reset").isEmpty());
    }
  }

  @Test
  void no_headers_at_all_when_switched_off_but_still_refused_with_retry_after() {
    try (LimitServer quiet = LimitServer.anonymous(
        "fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "1",
        "fhirguard.rate-limit.headers", "false")) {
      HttpResponse<String> ok = quiet.get(null, "/plain/ok");
      HttpResponse<String> refused = quiet.get(null, "/plain/ok");
      for (HttpResponse<String> response : List.of(ok, refused)) {
        for (String name : ALL_HEADERS) {
          assertTrue(response.headers().firstValue(name).isEmpty(), name);
        }
      }
      assertError(refused, 429, "RATE_LIMITED");
      assertEquals("60", header(refused, "Retry-After"));
    }
  }

  @Test
  void no_headers_when_rate_limits_are_off() {
    try (LimitServer off = LimitServer.anonymous()) {
      HttpResponse<String> response = off.get(null, "/plain/ok");
      assertEquals(200, response.statusCode());
      for (String name : ALL_HEADERS) {
        assertTrue(response.headers().firstValue(name).isEmpty(), name);
      }
    }
  }

  @Test
  void a_refused_request_still_shows_the_standing_of_its_own_bucket() {
    try (LimitServer server = LimitServer.anonymous("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "1")) {
      assertEquals("0", header(server.get(null, "/plain/ok"), "X-RateLimit-Remaining"));
      HttpResponse<String> refused = server.get(null, "/plain/ok");
      assertError(refused, 429, "RATE_LIMITED");
      assertTrue(Long.parseLong(header(refused, "X-RateLimit-Reset")) >= 1);
    }
  }
}
