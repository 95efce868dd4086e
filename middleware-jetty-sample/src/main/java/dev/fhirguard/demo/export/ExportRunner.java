package dev.fhirguard.demo.export;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.fhirguard.bulk.BulkExport;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one export job: each type in turn (after the {@link ExportGate}), its resources as NDJSON,
 * or, when its source fails, an error-file line. A job whose every type failed has failed.
 */
final class ExportRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);

  private final ExportSources sources;
  private final BulkExport answers;
  private final ExportGate gate;
  private final Clock clock;
  private final Duration keep;
  private final FhirContext fhir = FhirContext.forR4Cached();

  ExportRunner(ExportSources sources, BulkExport answers, ExportGate gate, Clock clock,
      Duration keep) {
    this.sources = sources;
    this.answers = answers;
    this.gate = gate;
    this.clock = clock;
    this.keep = keep;
  }

  /** Exports every type of {@code job}; returns early, leaving it unfinished, when cancelled. */
  void run(ExportJob job) {
    try {
      for (String type : job.scope().types()) {
        gate.pass();
        if (!export(job, type)) {
          return;
        }
      }
    } catch (InterruptedException cancelled) {
      Thread.currentThread().interrupt();
      return;
    }
    job.finish(clock.instant(), keep);
  }

  /** @return false when the job was cancelled meanwhile */
  private boolean export(ExportJob job, String type) {
    ErrorCode failure = null;
    try {
      List<Resource> resources = sources.read(type, job.scope());
      job.exported(type, ndjson(resources, job.scope().elements()), resources.size());
    } catch (UpstreamException e) {
      failure = e.code();
    } catch (RuntimeException e) {
      failure = ErrorCode.INTERNAL_ERROR;
    }
    if (Thread.currentThread().isInterrupted()) {
      return false;
    }
    if (failure != null) {
      failed(job, type, failure);
    }
    return true;
  }

  private void failed(ExportJob job, String type, ErrorCode reason) {
    LOG.warn("Bulk export job {} of {} (kick-off {}): {} not exported ({})", job.id(),
        job.owner(), job.kickoffRequestId(), type, reason.code());
    String text = type + " resources were not exported: " + lowerFirst(reason.defaultText());
    job.failed(type, reason, answers.errorLine(reason, text));
  }

  /** The resources as NDJSON, only {@code elements} of them (HAPI encode paths) unless null. */
  private byte[] ndjson(List<Resource> resources, Set<String> elements) {
    IParser parser = fhir.newJsonParser().setPrettyPrint(false).setEncodeElements(elements);
    StringBuilder lines = new StringBuilder();
    for (Resource resource : resources) {
      lines.append(parser.encodeResourceToString(resource)).append('\n');
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String lowerFirst(String text) {
    return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
