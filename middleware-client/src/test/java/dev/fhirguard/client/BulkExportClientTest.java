package dev.fhirguard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.parser.IParser;
import dev.fhirguard.client.testing.Clients;
import dev.fhirguard.client.testing.SampleFixture;
import dev.fhirguard.client.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The export helper against the sample's real Bulk Data export, over HTTP. */
@ExtendWith(SampleFixture.class)
class BulkExportClientTest {

  private final String token = SampleFixture.adminToken();
  private final List<ExportJob> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    SampleFixture.holdExports(false);
    for (ExportJob job : started) {
      try {
        job.cancel();
      } catch (BulkExportException e) {
        // Cancelled by the test already.
      }
    }
  }

  private BulkExportClient exports(TestClock clock, Duration pollBudget) {
    return BulkExportClient.builder(Clients.context(), SampleFixture.fhirBase())
        .accessToken(() -> token)
        .retryPolicy(RetryPolicy.builder().clock(clock).build())
        .pollBudget(pollBudget)
        .build();
  }

  private ExportJob kickOff(BulkExportClient exports, String operation) {
    ExportJob job = exports.kickOff(operation);
    started.add(job);
    return job;
  }

  @Test
  void a_whole_export_polls_at_the_servers_pace_then_downloads_every_file(@TempDir Path dir)
      throws IOException {
    TestClock clock = TestClock.real();
    ExportJob job = kickOff(exports(clock, Duration.ofMinutes(2)), SampleFixture.groupExport());

    ExportManifest manifest = job.await();

    assertTrue(manifest.requiresAccessToken());
    assertTrue(manifest.request().endsWith(SampleFixture.groupExport()), manifest::request);
    assertEquals(Set.of("Patient", "Observation"),
        Set.copyOf(manifest.output().stream().map(ExportManifest.File::type).toList()));
    assertFalse(clock.sleeps().isEmpty(), "the first poll came too soon, or found it running");
    for (Duration wait : clock.sleeps()) {
      assertTrue(wait.toMillis() % 1000 == 0 && wait.compareTo(Duration.ZERO) > 0
          && wait.compareTo(SampleFixture.exportPollInterval()) <= 0,
          "a wait the server asked for: " + clock.sleeps());
    }
    IParser ndjson = Clients.context().newJsonParser();
    for (ExportManifest.File file : manifest.output()) {
      Path saved = dir.resolve(file.type() + ".ndjson");
      job.download(file, saved);
      List<String> lines = Files.readAllLines(saved);
      assertFalse(lines.isEmpty(), file.url());
      for (String line : lines) {
        IBaseResource resource = ndjson.parseResource(line);
        assertEquals(file.type(), Clients.context().getResourceType(resource));
      }
    }
  }

  @Test
  void a_running_export_reports_progress_until_the_budget_ends_and_can_be_cancelled() {
    SampleFixture.holdExports(true);
    TestClock clock = TestClock.real();
    BulkExportClient exports = exports(clock, Duration.ofSeconds(3));
    ExportJob job = kickOff(exports, SampleFixture.groupExport());
    List<String> progress = new CopyOnWriteArrayList<>();

    BulkExportException late = assertThrows(BulkExportException.class,
        () -> job.await(progress::add));

    assertEquals(Optional.empty(), late.details());
    assertTrue(late.getMessage().contains("is not complete after"), late.getMessage());
    assertTrue(late.getMessage().contains(job.statusUrl()), late.getMessage());
    assertFalse(progress.isEmpty(), "X-Progress of the 202 answers");
    assertTrue(progress.get(0).startsWith("in progress"), progress::toString);

    exports.resume(job.statusUrl()).cancel();
    BulkExportException gone = assertThrows(BulkExportException.class, job::await);
    FailureDetails details = gone.details().orElseThrow();
    assertEquals(404, details.status());
    assertEquals(Optional.of("EXPORT_JOB_NOT_FOUND"), details.catalogCode());
    assertTrue(gone.getMessage().contains("transaction id " + details.transactionId().get()),
        gone.getMessage());
  }

  @Test
  void a_second_export_while_one_runs_is_retried_at_the_servers_pace_then_given_up() {
    SampleFixture.holdExports(true);
    TestClock clock = TestClock.manual();
    BulkExportClient exports = exports(clock, Duration.ofMinutes(2));
    kickOff(exports, SampleFixture.groupExport());

    BulkExportException refused = assertThrows(BulkExportException.class,
        () -> kickOff(exports, "$export?_type=Patient"));

    FailureDetails details = refused.details().orElseThrow();
    assertEquals(429, details.status());
    assertEquals(Optional.of("EXPORT_LIMIT_REACHED"), details.catalogCode());
    Duration asked = details.retryAfter().orElseThrow();
    assertEquals(SampleFixture.exportLimitRetryAfter(), asked);
    assertEquals(3, details.attempts());
    assertEquals(List.of(asked, asked), clock.sleeps(), "then a third wait would overrun 2 min");
    assertTrue(refused.getMessage().contains("gave up: waiting " + asked.toSeconds()
        + " s more would overrun the budget of 120 s"), refused.getMessage());
  }

  @Test
  void an_invalid_kick_off_is_refused_at_once_with_the_parameter_named() {
    TestClock clock = TestClock.manual();
    BulkExportException refused = assertThrows(BulkExportException.class,
        () -> kickOff(exports(clock, Duration.ofMinutes(2)), "$export?_type=NoSuchType"));

    FailureDetails details = refused.details().orElseThrow();
    assertEquals(400, details.status());
    assertEquals(Optional.of("EXPORT_PARAMETER_INVALID"), details.catalogCode());
    assertTrue(details.diagnostics().orElseThrow().contains("_type"),
        details.diagnostics()::toString);
    assertEquals(Collections.emptyList(), clock.sleeps());
  }
}
