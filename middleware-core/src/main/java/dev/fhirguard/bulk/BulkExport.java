package dev.fhirguard.bulk;

import dev.fhirguard.ErrorCode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.fhirguard.internal.outcome.Diagnostics;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.internal.outcome.OutcomeRenderer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The answers of a FHIR Bulk Data 2.0 export server, for any server that runs its own {@code
 * $export}: the kick-off's parameter errors (and Bulk Data's rule for parameters the server does
 * not support, see {@link #checkParameters}), the status URL's failures, the completion manifest
 * and the OperationOutcome lines of its error files. Get it from {@link FhirGuard#bulkExport()}.
 *
 * <p>Errors are written as OperationOutcomes in the format the client negotiated, with the
 * catalog coding and the transaction id, through fhirguard's error boundary when the filter is
 * installed. Texts the application passes are sanitized first: control characters removed, length
 * bounded, and a text that shows internals (a class name, SQL, a host) replaced.
 *
 * <pre>{@code
 * BulkExport export = guard.bulkExport();
 * export.invalidParameter(request, response, "_since", since,
 *     "not a valid FHIR instant (e.g. 2024-01-01T00:00:00Z)");
 * }</pre>
 */
public final class BulkExport {

  /** The {@code issue.code} of every error-file line of {@link #errorLine}. */
  public static final String ERROR_LINE_ISSUE_TYPE = "incomplete";

  /**
   * The kick-off parameters Bulk Data 2.0 requires every server to support: what a {@code
   * BulkExport} supports until {@link #supporting} says otherwise.
   */
  public static final Set<String> REQUIRED_PARAMETERS = Set.of("_outputFormat", "_since", "_type");

  /** The {@code issue.code} of the error-file line of a parameter ignored as unsupported. */
  private static final String IGNORED_LINE_ISSUE_TYPE = "not-supported";

  /** Parameters every kick-off may have: they shape the answer, not the export. */
  private static final Set<String> ANSWER_PARAMETERS = Set.of("_format", "_pretty");

  /** Most unsupported parameters named in one refusal. */
  private static final int MAX_NAMED = 5;

  /** Longest client value echoed in a parameter error; longer ones are cut. */
  static final int MAX_ECHOED_VALUE = 40;

  private static final int MAX_PARAMETER_NAME = 64;
  private static final JsonFactory JSON = new JsonFactory();

  private final ErrorHandler errors;
  private final OutcomeRenderer renderer;
  private final Diagnostics diagnostics;
  private final Set<String> supported;

  public BulkExport(ErrorHandler errors, OutcomeRenderer renderer, Diagnostics diagnostics) {
    this(errors, renderer, diagnostics, REQUIRED_PARAMETERS);
  }

  private BulkExport(ErrorHandler errors, OutcomeRenderer renderer, Diagnostics diagnostics,
      Set<String> supported) {
    this.errors = errors;
    this.renderer = renderer;
    this.diagnostics = diagnostics;
    this.supported = supported;
  }

  /**
   * These answers for a server whose kick-off supports exactly {@code parameters} (names as sent,
   * case-sensitive), which {@link #checkParameters} holds kick-offs to. {@code _format} and {@code
   * _pretty} are always accepted. Without this call a server supports {@link
   * #REQUIRED_PARAMETERS}.
   *
   * <pre>{@code
   * BulkExport export = guard.bulkExport().supporting("_outputFormat", "_since", "_type", "patient");
   * }</pre>
   */
  public BulkExport supporting(String... parameters) {
    for (String parameter : parameters) {
      requireText(parameter, "parameter");
    }
    return new BulkExport(errors, renderer, diagnostics, Set.copyOf(List.of(parameters)));
  }

  /**
   * Holds a kick-off to the parameters this server supports (see {@link #supporting}), as Bulk
   * Data 2.0 asks: a parameter it does not support is refused, 400 {@link
   * ErrorCode#EXPORT_PARAMETER_UNSUPPORTED}, {@code issue.code} {@code invalid}, diagnostics
   * naming it and the supported ones; unless the client sent {@code Prefer: handling=lenient}, in
   * which case the server ignores it and reports it in the job's error file, one line of {@link
   * ParameterCheck#errorLines()} per parameter. Never silently: a client must not get more data
   * than it asked for without being told. Blank names name nothing and are skipped.
   *
   * <pre>{@code
   * ParameterCheck check = export.checkParameters(request, response, sentNames);
   * if (check.refused()) {
   *   return; // answered 400
   * }
   * job.addErrorLines(check.errorLines()); // empty unless lenient and something was ignored
   * }</pre>
   *
   * @param sent the names of the kick-off's parameters: its query's for a {@code GET}, its {@code
   *     Parameters} body's for a {@code POST}
   */
  public ParameterCheck checkParameters(HttpServletRequest request, HttpServletResponse response,
      Collection<String> sent) throws IOException {
    Set<String> unsupported = new LinkedHashSet<>();
    for (String name : sent) {
      if (name != null && !name.isBlank() && !supported.contains(name)
          && !ANSWER_PARAMETERS.contains(name)) {
        unsupported.add(name);
      }
    }
    if (unsupported.isEmpty()) {
      return new ParameterCheck(false, List.of(), List.of());
    }
    if (!isLenient(request)) {
      errors.refuse(request, response,
          Failure.of(ErrorCode.EXPORT_PARAMETER_UNSUPPORTED, refusal(unsupported)), "export");
      return new ParameterCheck(true, List.of(), List.of());
    }
    List<String> lines = new ArrayList<>();
    for (String name : unsupported) {
      lines.add(renderer.jsonLine(ErrorCode.EXPORT_PARAMETER_UNSUPPORTED, "warning",
          IGNORED_LINE_ISSUE_TYPE, shownName(name)
              + ": not supported by this server; ignored (Prefer: handling=lenient)"));
    }
    return new ParameterCheck(false, List.copyOf(unsupported), List.copyOf(lines));
  }

  private String refusal(Set<String> unsupported) {
    List<String> named = unsupported.stream().map(BulkExport::shownName).distinct().toList();
    String names = String.join(", ", named.subList(0, Math.min(MAX_NAMED, named.size())))
        + (named.size() > MAX_NAMED ? ", ..." : "");
    return names + ": not supported by this server (it supports "
        + (supported.isEmpty() ? "none" : String.join(", ", supported.stream().sorted().toList()))
        + "); send Prefer: handling=lenient to have "
        + (unsupported.size() == 1 ? "it" : "them") + " ignored";
  }

  /** A client's parameter name as printable ASCII, or a stand-in when it looks like internals. */
  private static String shownName(String name) {
    String shown = LogSafe.clean(name, MAX_PARAMETER_NAME);
    return Diagnostics.looksInternal(shown) ? "(a parameter)" : shown;
  }

  /** Whether a {@code Prefer} header of the request has {@code handling=lenient} (RFC 7240). */
  private static boolean isLenient(HttpServletRequest request) {
    for (Enumeration<String> headers = request.getHeaders("Prefer");
        headers != null && headers.hasMoreElements(); ) {
      for (String preference : headers.nextElement().split(",")) {
        String[] token = preference.split(";", 2)[0].split("=", 2);
        if (token.length == 2 && token[0].trim().equalsIgnoreCase("handling")
            && token[1].trim().replace("\"", "").equalsIgnoreCase("lenient")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Refuses a kick-off: 400 {@link ErrorCode#EXPORT_PARAMETER_INVALID}, {@code issue.code}
   * {@code invalid}, diagnostics {@code "<parameter>: <problem>; got '<value>'"}. The value is
   * echoed only as printable ASCII of at most 40 characters, and not at all when it looks like
   * internals.
   *
   * @param parameter the parameter (or header, {@code Prefer}) at fault
   * @param value what the client sent, or {@code null} to echo nothing
   * @param problem what is wrong, e.g. {@code "not a valid FHIR instant (e.g.
   *     2024-01-01T00:00:00Z)"}
   */
  public void invalidParameter(HttpServletRequest request, HttpServletResponse response,
      String parameter, String value, String problem) throws IOException {
    String name = LogSafe.clean(Objects.requireNonNull(parameter, "parameter"), MAX_PARAMETER_NAME);
    String text = name + ": " + shownOr(problem, "not a valid value") + echo(value);
    errors.refuse(
        request, response, Failure.of(ErrorCode.EXPORT_PARAMETER_INVALID, text), "export");
  }

  /**
   * Answers the status URL of a job that failed as a whole: 500 {@link
   * ErrorCode#EXPORT_JOB_FAILED}, diagnostics "The export job failed. {@code reason}" and the
   * transaction id. A job that failed only in part is answered with a {@link Manifest} whose
   * {@code error} files hold {@link #errorLine}s instead.
   *
   * @param reason a client-safe reason, or {@code null} for the catalog text alone
   */
  public void jobFailed(HttpServletRequest request, HttpServletResponse response, String reason)
      throws IOException {
    String shown = reason == null ? null : diagnostics.clientText(reason);
    String text = shown == null ? null : ErrorCode.EXPORT_JOB_FAILED.defaultText() + " " + shown;
    errors.refuse(request, response,
        Failure.of(ErrorCode.EXPORT_JOB_FAILED, reason).withPublicText(text), "export");
  }

  /**
   * Answers a status poll that failed for a reason other than the job (the job store could not
   * be read): 503 {@link ErrorCode#EXPORT_STATUS_UNAVAILABLE}, {@code issue.code} {@code
   * transient}, {@code Retry-After} in whole seconds. The job keeps running.
   */
  public void statusUnavailable(HttpServletRequest request, HttpServletResponse response,
      Duration retryAfter) throws IOException {
    errors.refuse(request, response, Failure.retryLater(ErrorCode.EXPORT_STATUS_UNAVAILABLE,
        "The export status is temporarily unavailable; the export job itself is not affected.",
        Objects.requireNonNull(retryAfter, "retryAfter")), "export");
  }

  /**
   * Answers a status or file URL of a job that is unknown, cancelled, expired or another client's:
   * 404 {@link ErrorCode#EXPORT_JOB_NOT_FOUND}.
   */
  public void jobNotFound(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    errors.refuse(
        request, response, Failure.of(ErrorCode.EXPORT_JOB_NOT_FOUND, null), "export");
  }

  /** Answers a completed job's status URL: 200, {@code application/json}, the manifest. */
  public void sendManifest(HttpServletResponse response, Manifest manifest) throws IOException {
    byte[] body = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType("application/json;charset=UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * One line of an error file (without the line break): a compact JSON OperationOutcome with one
   * issue, severity {@code error}, the catalog coding of {@code reason} and {@code diagnostics}.
   * Its {@code issue.code} is always {@value #ERROR_LINE_ISSUE_TYPE}: a line of an error file
   * reports data the finished export could not include, which R4 defines as {@code incomplete}
   * (a {@code transient} issue: the same export may succeed later).
   *
   * @param reason why the data is missing, e.g. {@link ErrorCode#UPSTREAM_UNREACHABLE}
   * @param diagnostics a client-safe text; the catalog text of {@code reason} replaces one that
   *     shows internals
   */
  public String errorLine(ErrorCode reason, String diagnostics) {
    Objects.requireNonNull(reason, "reason");
    return renderer.jsonLine(reason, reason.severity(), ERROR_LINE_ISSUE_TYPE,
        shownOr(diagnostics, reason.defaultText()));
  }

  private String shownOr(String text, String fallback) {
    String shown = text == null ? null : diagnostics.clientText(text);
    return shown == null ? fallback : shown;
  }

  private static String echo(String value) {
    if (value == null) {
      return "";
    }
    String shown = LogSafe.clean(value, MAX_ECHOED_VALUE);
    return Diagnostics.looksInternal(shown) ? "" : "; got '" + shown + "'";
  }

  /**
   * What {@link #checkParameters} found.
   *
   * @param refused whether the kick-off was refused (answered 400): start no job
   * @param ignored the unsupported parameters the server is to ignore ({@code Prefer:
   *     handling=lenient}), in the order sent; empty when none
   * @param errorLines one error-file line per ignored parameter (severity {@code warning}, {@code
   *     issue.code} {@code not-supported}, the catalog coding {@code
   *     EXPORT_PARAMETER_UNSUPPORTED}), for the job's manifest to list in its {@code error} array
   */
  public record ParameterCheck(boolean refused, List<String> ignored, List<String> errorLines) {

    public ParameterCheck {
      ignored = List.copyOf(ignored);
      errorLines = List.copyOf(errorLines);
    }
  }

  /**
   * A file of a manifest's {@code output} or {@code error} array.
   *
   * @param type the resource type of the file's lines
   * @param url the absolute URL the client downloads it from
   * @param count the number of lines, or {@code null} to leave it out
   */
  public record OutputFile(String type, String url, Long count) {

    public OutputFile {
      requireText(type, "type");
      requireText(url, "url");
      if (count != null && count < 0) {
        throw new IllegalArgumentException("count must not be negative: " + count);
      }
    }

    /** A file of OperationOutcomes, for the {@code error} array. */
    public static OutputFile errors(String url, Long count) {
      return new OutputFile("OperationOutcome", url, count);
    }
  }

  /**
   * The completion manifest of an export job.
   *
   * @param transactionTime when the export's data was read (its kick-off)
   * @param request the kick-off URL
   * @param requiresAccessToken whether the file URLs need the bearer token
   * @param output the data files, one or more per resource type
   * @param error the files of OperationOutcomes for what could not be exported (may be empty)
   */
  public record Manifest(Instant transactionTime, String request, boolean requiresAccessToken,
      List<OutputFile> output, List<OutputFile> error) {

    public Manifest {
      Objects.requireNonNull(transactionTime, "transactionTime");
      requireText(request, "request");
      output = List.copyOf(output);
      error = List.copyOf(error);
    }

    /** The manifest as JSON; {@code transactionTime} as a FHIR instant in UTC. */
    public String toJson() {
      StringWriter out = new StringWriter();
      try (JsonGenerator json = JSON.createGenerator(out)) {
        json.writeStartObject();
        json.writeStringField("transactionTime",
            transactionTime.truncatedTo(ChronoUnit.MILLIS).toString());
        json.writeStringField("request", request);
        json.writeBooleanField("requiresAccessToken", requiresAccessToken);
        writeFiles(json, "output", output);
        writeFiles(json, "error", error);
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringWriter does not fail
      }
      return out.toString();
    }

    private static void writeFiles(JsonGenerator json, String name, List<OutputFile> files)
        throws IOException {
      json.writeArrayFieldStart(name);
      for (OutputFile file : files) {
        json.writeStartObject();
        json.writeStringField("type", file.type());
        json.writeStringField("url", file.url());
        if (file.count() != null) {
          json.writeNumberField("count", file.count());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
