package dev.fhirguard.demo.export;

import static dev.fhirguard.demo.export.ExportSample.header;
import static dev.fhirguard.demo.export.ExportSample.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * fhirguard's poll pace on the sample's real export, with polls at least an hour apart: the first
 * poll comes at once (as the Bulk Data test kit polls), later ones are paced however the status
 * URL is spelled, and a cancelled job is over at once.
 */
class ExportPaceTest {

  @RegisterExtension
  static final ExportSample sample = new ExportSample("1h");

  @Test
  void the_first_poll_is_answered_then_every_spelling_is_paced_until_a_cancel_ends_the_job() {
    sample.hold();
    HttpResponse<String> kickoff = sample.kickoff("/fhir/$export", sample.exporter());
    String status = sample.started(kickoff);
    assertEquals("3600", header(kickoff, "Retry-After"));

    HttpResponse<String> first = sample.get(status, sample.exporter());
    assertEquals(202, first.statusCode(), first.body());
    assertEquals("3600", header(first, "Retry-After"));
    outcome(sample.get(status.replace("$", "%24") + "&_format=json", sample.exporter()), 429,
        "EXPORT_POLLED_TOO_SOON");

    assertEquals(202, sample.delete(status + "&_pretty=true", sample.exporter()).statusCode());
    outcome(sample.get(status, sample.exporter()), 404, "EXPORT_JOB_NOT_FOUND");
    String next = sample.started(sample.kickoff("/fhir/$export", sample.exporter()));
    assertEquals(202, sample.delete(next, sample.exporter()).statusCode());
    sample.run();
  }
}
