package dev.fhirguard.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.client.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryRulesTest {

  private static final String URI = "http://127.0.0.1/fhir/Patient?name=x";

  private final TestClock clock = TestClock.manual();

  private RetryRules rules(boolean retryNonIdempotent) {
    return new RetryRules(4, Duration.ofSeconds(60), Duration.ofMinutes(2),
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0),
        retryNonIdempotent, clock);
  }

  private Verdict judge(String method, int status, String retryAfter) {
    return rules(false).judge(method, URI, status, retryAfter, 1, clock.nanoTime());
  }

  @ParameterizedTest
  @CsvSource({
      "GET, 429, RETRY", "GET, 503, RETRY", "GET, 502, RETRY", "GET, 504, RETRY",
      "PUT, 503, RETRY", "DELETE, 504, RETRY", "HEAD, 429, RETRY",
      "POST, 429, FINAL", "POST, 503, FINAL", "POST, 502, FINAL", "PATCH, 503, FINAL",
      "GET, 500, FINAL", "GET, 400, FINAL", "GET, 404, FINAL", "GET, 501, FINAL",
      "GET, 401, FINAL"})
  void which_answers_are_retried(String method, int status, Verdict.Kind expected) {
    assertEquals(expected, judge(method, status, "1").kind());
  }

  @Test
  void a_search_by_post_is_as_safe_as_its_get() {
    assertEquals(Verdict.Kind.RETRY, rules(false).judge("POST",
        "http://h/fhir/Patient/_search?_format=json", 503, "1", 1, 0).kind());
    assertEquals(Verdict.Kind.FINAL, rules(false).judge("POST",
        "http://h/fhir/Patient/$everything_search", 503, "1", 1, 0).kind());
  }

  @Test
  void a_post_is_retried_on_429_and_503_only_when_the_user_opts_in() {
    assertEquals(Verdict.Kind.RETRY, rules(true).judge("POST", URI, 429, "1", 1, 0).kind());
    assertEquals(Verdict.Kind.RETRY, rules(true).judge("PATCH", URI, 503, "1", 1, 0).kind());
    assertEquals(Verdict.Kind.FINAL, rules(true).judge("POST", URI, 502, "1", 1, 0).kind());
    assertEquals(Verdict.Kind.FINAL, rules(true).judge("POST", URI, 504, "1", 1, 0).kind());
  }

  @Test
  void a_post_that_is_not_retried_says_why() {
    Verdict verdict = judge("POST", 503, "1");
    assertEquals("not retried: a POST request is not idempotent", verdict.reason());
    assertNull(judge("GET", 404, null).reason());
  }

  @Test
  void the_wait_is_the_servers_retry_after() {
    assertEquals(Duration.ofSeconds(42), judge("GET", 429, "42").delay());
    assertEquals(Duration.ZERO, judge("GET", 429, "0").delay());
  }

  @Test
  void without_a_usable_retry_after_the_wait_is_the_backoff() {
    RetryRules rules = rules(false);
    assertEquals(Duration.ofMillis(500), rules.judge("GET", URI, 503, null, 1, 0).delay());
    assertEquals(Duration.ofSeconds(1), rules.judge("GET", URI, 503, "-5", 2, 0).delay());
    assertEquals(Duration.ofSeconds(2), rules.judge("GET", URI, 503, "soon", 3, 0).delay());
  }

  @Test
  void a_retry_after_longer_than_allowed_ends_the_retries_at_once() {
    Verdict verdict = judge("GET", 503, "300");
    assertEquals(Verdict.Kind.GIVE_UP, verdict.kind());
    assertEquals("gave up: the server asks to wait 300 s, longer than the 60 s allowed",
        verdict.reason());
    assertEquals(Verdict.Kind.GIVE_UP, judge("GET", 503, "2147483648").kind());
  }

  @Test
  void the_attempts_are_capped() {
    RetryRules rules = rules(false);
    assertEquals(Verdict.Kind.RETRY, rules.judge("GET", URI, 503, "1", 3, 0).kind());
    Verdict last = rules.judge("GET", URI, 503, "1", 4, 0);
    assertEquals(Verdict.Kind.GIVE_UP, last.kind());
    assertEquals("gave up: no attempts left", last.reason());
  }

  @Test
  void a_wait_that_would_overrun_the_budget_is_not_started() throws InterruptedException {
    long start = clock.nanoTime();
    clock.sleep(Duration.ofSeconds(90));
    RetryRules rules = rules(false);
    assertEquals(Verdict.Kind.RETRY, rules.judge("GET", URI, 429, "30", 2, start).kind());
    Verdict verdict = rules.judge("GET", URI, 429, "31", 2, start);
    assertEquals(Verdict.Kind.GIVE_UP, verdict.kind());
    assertTrue(verdict.reason().contains("budget of 120 s"), verdict.reason());
  }

  @Test
  void an_interrupted_thread_is_not_kept_waiting() {
    Thread.currentThread().interrupt();
    try {
      Verdict verdict = judge("GET", 503, "1");
      assertEquals(Verdict.Kind.GIVE_UP, verdict.kind());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
  }
}
