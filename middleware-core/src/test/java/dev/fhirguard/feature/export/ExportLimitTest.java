package dev.fhirguard.feature.export;

import static dev.fhirguard.testing.BulkDataServlet.statusUrl;
import static dev.fhirguard.testing.LimitServer.header;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.fhirguard.testing.BulkDataServlet;
import dev.fhirguard.testing.BulkDataServlet.Kickoff;
import dev.fhirguard.testing.LimitServer;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.RawHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bulk export limits over real HTTP against {@link BulkDataServlet}, a Bulk Data server that
 * answers what each test tells it: concurrent jobs per client, what frees a slot (finished,
 * failed, gone, cancelled, abandoned, a kick-off that did not start a job) and what does not,
 * polls too soon, isolation and per-client limits. Defaults unless a test says otherwise: one job
 * per client, polls at least 2 s apart, jobs abandoned after 1 h, Retry-After 60 s.
 */
class ExportLimitTest {

  private static final String KICKOFF = "/bulk/$export";
  private static final String CLIENT = "exporter";

  private LimitServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private LimitServer start(String... settings) {
    server = LimitServer.withClients(settings);
    return server;
  }

  private BulkDataServlet bulk() {
    return server.bulk;
  }

  private HttpResponse<String> kickoff(String client) {
    return server.get(client, KICKOFF, "Prefer", "respond-async");
  }

  private void assertStarted(HttpResponse<String> kickoff) {
    assertEquals(202, kickoff.statusCode(), kickoff::body);
    assertTrue(header(kickoff, "Content-Location").contains(BulkDataServlet.STATUS_PATH));
  }

  private static void assertLimitReached(HttpResponse<String> refused, boolean xml) {
    String text = diagnostics(assertError(refused, 429, "EXPORT_LIMIT_REACHED", xml));
    assertTrue(text.startsWith("Too many concurrent bulk export requests"), text);
    assertTrue(text.endsWith("Please retry after 60 seconds."), text);
    assertEquals("60", header(refused, "Retry-After"));
  }

  private static void assertLimitReached(HttpResponse<String> refused) {
    assertLimitReached(refused, false);
  }

  /** Polls job 1 too soon: 429 EXPORT_POLLED_TOO_SOON with {@code Retry-After: seconds}. */
  private void assertPolledTooSoon(String seconds) {
    HttpResponse<String> refused = server.get(CLIENT, statusUrl(1));
    assertError(refused, 429, "EXPORT_POLLED_TOO_SOON");
    assertEquals(seconds, header(refused, "Retry-After"));
  }

  /** Polls job {@code n} after the minimum interval, answered {@code status}. */
  private HttpResponse<String> pollAnswered(int n, int status) {
    server.advanceSeconds(2);
    bulk().status(status);
    return server.get(CLIENT, statusUrl(n));
  }

  @Test
  void a_second_kickoff_while_a_job_runs_is_refused_with_the_configured_retry_after() {
    start();
    assertStarted(kickoff(CLIENT));
    assertLimitReached(kickoff(CLIENT));
    assertLimitReached(server.get(CLIENT, KICKOFF + "?_format=xml"), true);
    assertLimitReached(server.send(CLIENT, "POST", "/bulk/Group/7/$export"));
    assertLimitReached(server.get(CLIENT, "/bulk/Patient/$export"));
    assertEquals(1, bulk().kickoffs()); // the refused ones never reached the server
  }

  @Test
  void the_refusal_tells_how_many_jobs_the_client_may_run() {
    start("fhirguard.export.retry-after", "90s",
        "fhirguard.clients.big.export.max-concurrent", "2");
    assertStarted(kickoff("big"));
    assertStarted(kickoff("big"));
    HttpResponse<String> refused = kickoff("big");
    assertEquals("Too many concurrent bulk export requests: this client already has 2 exports"
        + " running, the most it may have. Wait for one to finish or cancel it. Please retry"
        + " after 90 seconds.", diagnostics(assertError(refused, 429, "EXPORT_LIMIT_REACHED")));
    assertEquals("90", header(refused, "Retry-After"));
    assertStarted(kickoff("small"));
    assertError(kickoff("small"), 429, "EXPORT_LIMIT_REACHED");
  }

  @ParameterizedTest(name = "status URL answers {0}")
  @ValueSource(ints = {200, 404, 410, 500})
  void the_slot_is_freed_when_the_status_url_says_the_job_is_over(int status) {
    start();
    assertStarted(kickoff(CLIENT));
    assertEquals(status, pollAnswered(1, status).statusCode());
    assertStarted(kickoff(CLIENT));
  }

  @Test
  void the_slot_is_freed_when_the_status_url_fails_with_an_exception() {
    start();
    assertStarted(kickoff(CLIENT));
    assertError(pollAnswered(1, BulkDataServlet.THROWS), 500, "INTERNAL_ERROR");
    assertStarted(kickoff(CLIENT));
  }

  @Test
  void the_job_keeps_its_slot_when_the_status_url_cannot_reach_its_backend() {
    start();
    assertStarted(kickoff(CLIENT));
    assertError(pollAnswered(1, BulkDataServlet.THROWS_UNREACHABLE), 502, "UPSTREAM_UNREACHABLE");
    assertLimitReached(kickoff(CLIENT));
  }

  @ParameterizedTest(name = "status URL answers {0}")
  @ValueSource(ints = {202, 502, 503, 504, 429, 401, 403})
  void the_job_keeps_its_slot_while_the_status_url_says_nothing_final(int status) {
    start();
    assertStarted(kickoff(CLIENT));
    assertEquals(status, pollAnswered(1, status).statusCode());
    assertLimitReached(kickoff(CLIENT));
  }

  @ParameterizedTest(name = "DELETE answers {0}")
  @ValueSource(ints = {202, 200, 204, 404, 410})
  void a_cancel_that_succeeds_or_finds_no_job_frees_the_slot(int status) {
    start();
    assertStarted(kickoff(CLIENT));
    bulk().delete(status);
    assertEquals(status, server.send(CLIENT, "DELETE", statusUrl(1)).statusCode());
    assertStarted(kickoff(CLIENT));
  }

  @ParameterizedTest(name = "DELETE answers {0}")
  @ValueSource(ints = {500, 503, 403})
  void a_cancel_that_fails_keeps_the_slot(int status) {
    start();
    assertStarted(kickoff(CLIENT));
    bulk().delete(status);
    assertEquals(status, server.send(CLIENT, "DELETE", statusUrl(1)).statusCode());
    assertLimitReached(kickoff(CLIENT));
  }

  @Test
  void a_job_nobody_polls_is_abandoned_after_the_ttl_and_the_abandon_is_logged() {
    start("fhirguard.export.job-ttl", "10m");
    assertStarted(kickoff(CLIENT));
    server.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertLimitReached(kickoff(CLIENT));
    server.advanceSeconds(1);
    try (LogCapture logs = new LogCapture()) {
      assertStarted(kickoff(CLIENT));
      assertTrue(LogCapture.render(logs.at(Level.INFO)).contains("abandoned"),
          () -> LogCapture.render(logs.events()));
    }
  }

  @Test
  void polling_keeps_a_job_alive_past_the_ttl() {
    start("fhirguard.export.job-ttl", "10m");
    assertStarted(kickoff(CLIENT));
    server.advance(Duration.ofMinutes(9));
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    server.advance(Duration.ofMinutes(9));
    assertLimitReached(kickoff(CLIENT));
    server.advance(Duration.ofMinutes(1));
    assertStarted(kickoff(CLIENT));
  }

  @ParameterizedTest(name = "kick-off {0}")
  @EnumSource(value = Kickoff.class,
      names = {"BAD_REQUEST", "SERVER_ERROR", "THROW", "ACCEPT_WITHOUT_LOCATION", "ASYNC_TIMEOUT"})
  void a_kickoff_that_starts_no_job_frees_its_reservation(Kickoff answer) {
    start();
    bulk().kickoff(answer);
    HttpResponse<String> failed = kickoff(CLIENT);
    assertTrue(failed.statusCode() != 202 || failed.headers().firstValue("Content-Location")
        .isEmpty(), failed::body);
    bulk().kickoff(Kickoff.ACCEPT);
    assertStarted(kickoff(CLIENT));
  }

  /**
   * The application answers the kick-off 400 and has not returned yet when the client, which has
   * its whole answer, kicks off again (a corrected request, on another connection): the slot is
   * already free.
   */
  @ParameterizedTest(name = "kick-off {0}")
  @EnumSource(value = Kickoff.class,
      names = {"REFUSE_THEN_HOLD", "SEND_ERROR_THEN_HOLD", "HAPI_REFUSE_THEN_HOLD"})
  void a_refused_kickoff_frees_its_slot_before_the_client_has_the_answer(Kickoff refusal)
      throws Exception {
    start();
    bulk().kickoff(refusal);
    String path = refusal == Kickoff.HAPI_REFUSE_THEN_HOLD ? "/hfhir/$export" : KICKOFF;
    CompletableFuture<HttpResponse<String>> refused =
        CompletableFuture.supplyAsync(() -> server.get(CLIENT, path));
    bulk().awaitHeld();
    try {
      HttpResponse<String> answer = refused.get(20, TimeUnit.SECONDS);
      assertEquals(400, answer.statusCode(), answer::body);
      bulk().kickoff(Kickoff.ACCEPT);
      RawHttp.Response corrected = server.server.rawGet(path, authorization(CLIENT));
      assertEquals(202, corrected.status(), corrected::toString);
      assertTrue(corrected.header("Content-Location").contains(BulkDataServlet.STATUS_PATH));
    } finally {
      bulk().releaseHeld();
    }
  }

  /** As above for a job that a poll finds complete or a cancel ends: its slot is free at once. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "DELETE"})
  void a_job_ended_by_an_answer_frees_its_slot_before_the_client_has_the_answer(String method)
      throws Exception {
    start();
    assertStarted(kickoff(CLIENT));
    server.advanceSeconds(2);
    bulk().status(BulkDataServlet.OK_THEN_HOLD);
    bulk().delete(BulkDataServlet.OK_THEN_HOLD);
    CompletableFuture<HttpResponse<String>> ended =
        CompletableFuture.supplyAsync(() -> server.send(CLIENT, method, statusUrl(1)));
    bulk().awaitHeld();
    try {
      HttpResponse<String> answer = ended.get(20, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), answer::body);
      RawHttp.Response next = server.server.rawGet(KICKOFF, authorization(CLIENT));
      assertEquals(202, next.status(), next::toString);
    } finally {
      bulk().releaseHeld();
    }
  }

  /**
   * Pipelined on one connection, so that each kick-off is handled once the one before it is over:
   * a refusal frees its slot once, not also when the application returns, while another kick-off
   * of the client still holds its reservation.
   */
  @ParameterizedTest(name = "kick-off {0}")
  @EnumSource(value = Kickoff.class, names = {"REFUSE", "BAD_REQUEST", "THROW"})
  void a_refused_kickoff_frees_its_slot_only_once(Kickoff refusal) throws Exception {
    start("fhirguard.export.max-concurrent", "2");
    bulk().kickoff(Kickoff.HOLD);
    CompletableFuture<HttpResponse<String>> pending =
        CompletableFuture.supplyAsync(() -> kickoff(CLIENT));
    bulk().awaitHeld();
    List<RawHttp.Response> answers;
    try {
      answers = pipelinedKickoffs(refusal, Kickoff.ACCEPT, Kickoff.ACCEPT);
    } finally {
      bulk().releaseHeld();
    }
    int refused = refusal == Kickoff.THROW ? 500 : 400;
    assertEquals(List.of(refused, 202, 429), answers.stream().map(RawHttp.Response::status).toList(),
        answers::toString);
    assertStarted(pending.get(20, TimeUnit.SECONDS));
  }

  @Test
  void a_kickoff_whose_answer_starts_as_an_error_but_ends_accepted_is_tracked_as_a_job()
      throws Exception {
    start("fhirguard.export.max-concurrent", "2");
    bulk().kickoff(Kickoff.HOLD);
    CompletableFuture<HttpResponse<String>> pending =
        CompletableFuture.supplyAsync(() -> kickoff(CLIENT));
    bulk().awaitHeld();
    List<RawHttp.Response> answers;
    try {
      answers = pipelinedKickoffs(Kickoff.REFUSE_THEN_ACCEPT, Kickoff.ACCEPT);
    } finally {
      bulk().releaseHeld();
    }
    // the job counts, and the pending kick-off keeps its reservation
    assertEquals(List.of(202, 429), answers.stream().map(RawHttp.Response::status).toList(),
        answers::toString);
    assertStarted(pending.get(20, TimeUnit.SECONDS));
    assertLimitReached(kickoff(CLIENT));
    assertEquals(200, pollAnswered(1, 200).statusCode());
    bulk().kickoff(Kickoff.ACCEPT);
    assertStarted(kickoff(CLIENT));
  }

  private static String authorization(String client) {
    return "Authorization: Bearer " + LimitServer.token(client);
  }

  /** Kick-offs of {@link #CLIENT} answered as {@code answers} say, pipelined on one connection. */
  private List<RawHttp.Response> pipelinedKickoffs(Kickoff... answers) {
    StringBuilder requests = new StringBuilder();
    String[] methods = new String[answers.length];
    for (int i = 0; i < answers.length; i++) {
      requests.append("GET ").append(KICKOFF).append('?').append(BulkDataServlet.ANSWER)
          .append('=').append(answers[i]).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
          .append(authorization(CLIENT)).append("\r\n")
          .append(i == answers.length - 1 ? "Connection: close\r\n" : "").append("\r\n");
      methods[i] = "GET";
    }
    return RawHttp.exchangeAll(server.server.port(), requests.toString(), methods);
  }

  @Test
  void a_kickoff_the_fhir_server_rejects_frees_its_reservation() {
    start("fhirguard.scopes.enforce", "false");
    HttpResponse<String> unknown = server.get(CLIENT, "/fhir/$export");
    assertEquals(4, unknown.statusCode() / 100, unknown::body);
    assertStarted(kickoff(CLIENT));
  }

  @ParameterizedTest(name = "kick-off {0}")
  @EnumSource(value = Kickoff.class, names = {"ACCEPT_ASYNC", "ACCEPT_ASYNC_INLINE"})
  void an_async_kickoff_is_tracked_like_any_other(Kickoff async) {
    start();
    bulk().kickoff(async);
    assertStarted(kickoff(CLIENT));
    assertLimitReached(kickoff(CLIENT));
    assertEquals(200, pollAnswered(1, 200).statusCode());
    assertStarted(kickoff(CLIENT));
  }

  @Test
  void a_relative_content_location_is_the_same_status_url() {
    start();
    bulk().kickoff(Kickoff.ACCEPT_RELATIVE);
    assertEquals(202, kickoff(CLIENT).statusCode());
    assertLimitReached(kickoff(CLIENT));
    assertEquals(200, pollAnswered(1, 200).statusCode());
    assertStarted(kickoff(CLIENT));
  }

  @Test
  void concurrent_kickoffs_of_one_client_get_one_slot() throws Exception {
    start();
    bulk().kickoff(Kickoff.HOLD);
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> kickoff(CLIENT));
    bulk().awaitHeld();
    assertLimitReached(kickoff(CLIENT)); // the reservation counts before the answer
    bulk().releaseHeld();
    assertStarted(first.get());
    assertLimitReached(kickoff(CLIENT));
  }

  @Test
  void a_poll_too_soon_after_the_previous_one_is_refused_with_the_time_left() {
    start("fhirguard.export.min-poll-interval", "10s");
    assertStarted(kickoff(CLIENT));
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    server.advanceSeconds(3);
    HttpResponse<String> refused = server.get(CLIENT, statusUrl(1));
    assertEquals("The export status was polled too frequently. Please retry after 7 seconds.",
        diagnostics(assertError(refused, 429, "EXPORT_POLLED_TOO_SOON")));
    assertEquals("7", header(refused, "Retry-After"));
    assertEquals(1, bulk().statusRequests());
    server.advanceSeconds(6);
    assertError(server.get(CLIENT, statusUrl(1), "Accept", "application/fhir+xml"), 429,
        "EXPORT_POLLED_TOO_SOON", true);
    server.advanceSeconds(1);
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    assertEquals(2, bulk().statusRequests());
  }

  /**
   * The Bulk Data test kit polls right after the kick-off and takes any answer but 202 as final:
   * the first poll gets the server's answer, and the kick-off's 202 tells the interval.
   */
  @Test
  void the_first_poll_right_after_the_kickoff_gets_the_servers_answer() {
    start("fhirguard.export.min-poll-interval", "10s");
    HttpResponse<String> accepted = kickoff(CLIENT);
    assertStarted(accepted);
    assertEquals("10", header(accepted, "Retry-After"));
    HttpResponse<String> first = server.get(CLIENT, statusUrl(1));
    assertEquals(202, first.statusCode(), first::body);
    assertEquals("10", header(first, "Retry-After")); // the server's 2 s would be refused
    assertError(server.get(CLIENT, statusUrl(1)), 429, "EXPORT_POLLED_TOO_SOON");
  }

  @Test
  void a_servers_retry_after_above_the_interval_stands_and_one_below_is_raised() {
    start("fhirguard.export.min-poll-interval", "5s");
    bulk().kickoffRetryAfter("30");
    assertEquals("30", header(kickoff(CLIENT), "Retry-After"));
    bulk().kickoffRetryAfter("1");
    assertEquals("5", header(kickoff("other"), "Retry-After"));
  }

  /** HAPI JPA answers an export in progress 202 with Retry-After: 120. */
  @Test
  void the_pace_follows_the_retry_after_of_the_servers_in_progress_answer() {
    start("fhirguard.export.min-poll-interval", "2s");
    bulk().statusRetryAfter("120");
    assertStarted(kickoff(CLIENT));
    HttpResponse<String> inProgress = server.get(CLIENT, statusUrl(1));
    assertEquals("120", header(inProgress, "Retry-After"));
    server.advanceSeconds(2);
    assertPolledTooSoon("118");
    server.advanceSeconds(118);
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
  }

  @Test
  void without_a_minimum_interval_polls_are_not_paced_even_when_the_server_asks() {
    start("fhirguard.export.min-poll-interval", "0s");
    bulk().statusRetryAfter("120");
    HttpResponse<String> accepted = kickoff(CLIENT);
    assertStarted(accepted);
    assertTrue(accepted.headers().firstValue("Retry-After").isEmpty(), accepted::toString);
    for (int i = 0; i < 3; i++) {
      assertEquals("120", header(server.get(CLIENT, statusUrl(1)), "Retry-After"));
    }
  }

  @Test
  void an_http_date_retry_after_is_followed_too() {
    start("fhirguard.export.min-poll-interval", "2s");
    bulk().statusRetryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        server.clock.instant().plusSeconds(60).atZone(java.time.ZoneOffset.UTC)));
    assertStarted(kickoff(CLIENT));
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    server.advanceSeconds(30);
    assertPolledTooSoon("30");
  }

  @Test
  void the_interval_runs_from_the_last_admitted_poll_not_from_refused_ones() {
    start("fhirguard.export.min-poll-interval", "2s");
    assertStarted(kickoff(CLIENT));
    server.advanceSeconds(2);
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    server.advanceSeconds(1);
    assertPolledTooSoon("1");
    server.advanceSeconds(1);
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
  }

  @Test
  void another_client_is_neither_limited_by_nor_able_to_end_someone_elses_job() {
    start("fhirguard.export.min-poll-interval", "1h");
    assertStarted(kickoff(CLIENT));
    assertStarted(kickoff("neighbour"));
    bulk().status(200);
    assertEquals(200, server.get("intruder", statusUrl(1)).statusCode()); // not its job: no limit
    assertEquals(200, server.get("intruder", statusUrl(1)).statusCode());
    assertLimitReached(kickoff(CLIENT));
  }

  @Test
  void a_status_url_of_another_job_or_with_more_parameters_is_not_its_poll() {
    start();
    assertStarted(kickoff(CLIENT));
    bulk().status(200);
    server.advanceSeconds(2);
    assertEquals(200, server.get(CLIENT, statusUrl(2)).statusCode());
    assertEquals(200, server.get(CLIENT, statusUrl(1) + "&x=1").statusCode());
    assertLimitReached(kickoff(CLIENT));
  }

  /** HAPI's generic client adds _format to every URL it fetches; a client may encode the $. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/fhir/%24export-poll-status?_jobId=1",
      "/fhir/$export-poll-status?_jobId=1&_format=json",
      "/fhir/$export-poll-status?_pretty=true&_jobId=1&_format=application%2Ffhir%2Bxml",
      "/fhir/$export-poll-status?_job%49d=%31&_format",
      "/fhir/./$export-poll-status?_jobId=1",
      "/fhir/$export-poll-status;v=1?_jobId=1"})
  void another_spelling_of_the_status_url_is_still_a_poll_of_the_job(String spelling) {
    start();
    assertStarted(kickoff(CLIENT));
    assertEquals(202, server.get(CLIENT, statusUrl(1)).statusCode());
    assertError(server.get(CLIENT, spelling), 429, "EXPORT_POLLED_TOO_SOON");
    server.advanceSeconds(2);
    bulk().status(200);
    assertEquals(200, server.get(CLIENT, spelling).statusCode());
    assertStarted(kickoff(CLIENT)); // that answer ended the job
  }

  @Test
  void a_cancel_spelled_another_way_ends_the_job() {
    start();
    assertStarted(kickoff(CLIENT));
    HttpResponse<String> cancelled = server.send(CLIENT, "DELETE",
        "/fhir/%24export-poll-status?_format=xml&_jobId=1");
    assertEquals(202, cancelled.statusCode(), cancelled::body);
    assertStarted(kickoff(CLIENT));
  }

  /**
   * Found by a client that cancels at once, fixed: a job started only once its kick-off's request
   * had returned, but a server that writes its 202 (HAPI JPA writes an OperationOutcome) has
   * handed it to the client before that. A cancel sent in between was not seen as one: the job
   * then started, and its slot stayed taken (and its polls paced: 429 EXPORT_POLLED_TOO_SOON
   * instead of the server's 404) until job-ttl. The kick-off is held after its answer; the
   * requests after the cancel are pipelined behind it, so they are handled once it has returned.
   */
  @Test
  void a_job_cancelled_before_its_kickoff_request_returned_is_over() throws Exception {
    start();
    bulk().status(404);
    try (RawHttp.Connection connection = new RawHttp.Connection(server.server.port())) {
      connection.write(rawGet(KICKOFF + "?" + BulkDataServlet.ANSWER + "=ACCEPT_THEN_HOLD", false));
      RawHttp.Response accepted = connection.read();
      assertEquals(202, accepted.status(), accepted::toString);
      bulk().awaitHeld();
      try {
        assertEquals(202, server.send(CLIENT, "DELETE", statusUrl(1)).statusCode());
      } finally {
        bulk().releaseHeld();
      }
      connection.write(rawGet(KICKOFF, false) + rawGet(statusUrl(1), true));
      RawHttp.Response next = connection.read();
      assertEquals(202, next.status(), next::toString); // the cancel freed the slot
      RawHttp.Response poll = connection.read();
      assertEquals(404, poll.status(), poll::toString); // the server's own answer
    }
  }

  /** A GET as {@link #CLIENT} with Prefer: respond-async, for a kept-alive connection. */
  private static String rawGet(String target, boolean last) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization(CLIENT)
        + "\r\nPrefer: respond-async\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n";
  }

  @Test
  void zero_means_no_limit_but_polls_are_still_paced() {
    start("fhirguard.export.max-concurrent", "0");
    for (int i = 1; i <= 5; i++) {
      assertStarted(kickoff(CLIENT));
    }
    assertEquals(202, server.get(CLIENT, statusUrl(5)).statusCode());
    assertError(server.get(CLIENT, statusUrl(5)), 429, "EXPORT_POLLED_TOO_SOON");
  }

  @Test
  void a_clients_own_zero_lifts_its_limit() {
    start("fhirguard.clients.trusted.export.max-concurrent", "0");
    for (int i = 0; i < 3; i++) {
      assertStarted(kickoff("trusted"));
    }
    assertStarted(kickoff(CLIENT));
    assertLimitReached(kickoff(CLIENT));
  }

  @Test
  void without_a_token_the_limit_is_per_address() {
    server = LimitServer.anonymous();
    assertStarted(kickoff(null));
    assertLimitReached(kickoff(null));
  }

  @Test
  void only_a_path_ending_in_the_export_operation_is_a_kickoff() {
    start();
    assertStarted(kickoff(CLIENT));
    assertEquals(404, server.get(CLIENT, "/bulk/$exports").statusCode());
    assertEquals(404, server.get(CLIENT, "/bulk/not$export").statusCode());
    assertEquals(404, server.get(CLIENT, "/bulk/$export/more").statusCode());
    assertLimitReached(server.get(CLIENT, "/bulk/%24export"));
    assertLimitReached(server.get(CLIENT, "/bulk/Patient/$export?_type=Patient"));
  }

  @Test
  void a_kickoff_routed_by_hapi_is_tracked_too() {
    start();
    assertStarted(server.get(CLIENT, "/hfhir/$export"));
    assertLimitReached(server.get(CLIENT, "/hfhir/$export?_type=Patient"));
    assertEquals(200, pollAnswered(1, 200).statusCode());
    assertStarted(server.get(CLIENT, "/hfhir/$export"));
  }

  @Test
  void a_trailing_slash_that_hapi_ignores_does_not_hide_a_kickoff() {
    start();
    assertStarted(server.get(CLIENT, "/hfhir/$export"));
    assertLimitReached(server.get(CLIENT, "/hfhir/$export/"));
    assertLimitReached(server.get(CLIENT, "/hfhir/$export/?_type=Patient"));
    assertEquals(1, bulk().kickoffs());
  }

  @Test
  void the_export_refusal_carries_the_rate_limit_headers_too() {
    start("fhirguard.rate-limit.enabled", "true", "fhirguard.rate-limit.capacity", "50");
    assertStarted(kickoff(CLIENT));
    HttpResponse<String> refused = kickoff(CLIENT);
    assertLimitReached(refused);
    assertEquals("30", header(refused, "X-RateLimit-Remaining"));
    assertEquals("50", header(refused, "X-RateLimit-Limit"));
  }
}
