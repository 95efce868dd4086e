package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Settings;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.ExtensionUtil;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.TraceContext;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one place that turns an error into an OperationOutcome: the issue code from the catalog,
 * the catalog coding, the client-safe text, and the transaction id as {@code OperationOutcome.id}
 * (and, when {@code fhirguard.outcome.include-trace-id} says so, the request's trace id as the
 * extension {@value #TRACE_ID_EXTENSION}).
 * Uses one shared {@link FhirContext} per FHIR version (HAPI's cached instance).
 */
public final class OutcomeRenderer {

  /** The URL of the extension that carries the trace id of the request's {@code traceparent}. */
  public static final String TRACE_ID_EXTENSION =
      "https://fhirguard.dev/StructureDefinition/trace-id";

  private final FhirContext context;
  private final String codeSystem;
  private final boolean prettyPrint;
  private final boolean exposeClientErrorDetails;
  private final Diagnostics diagnostics;
  private final boolean includeTraceId;
  private final OutcomeTemplates templates = new OutcomeTemplates();

  public OutcomeRenderer(ResolvedSettings settings) {
    this.context = FhirContext.forCached(FhirVersionEnum.valueOf(settings.get(Settings.FHIR_VERSION)));
    this.codeSystem = settings.get(Settings.CODE_SYSTEM).toString();
    this.prettyPrint = settings.get(Settings.PRETTY_PRINT);
    this.exposeClientErrorDetails = settings.get(Settings.EXPOSE_CLIENT_ERROR_DETAILS);
    this.diagnostics = new Diagnostics(settings.get(Settings.MAX_DIAGNOSTICS_LENGTH));
    this.includeTraceId = settings.get(Settings.OUTCOME_TRACE_ID);
  }

  /** A new outcome for {@code failure} in the FHIR version of {@code fhirContext}. */
  public IBaseOperationOutcome outcome(
      FhirContext fhirContext, Failure failure, String requestId) {
    ErrorCode code = failure.code();
    IBaseOperationOutcome outcome = singleIssue(fhirContext, code, code.severity(),
        code.issueType(), diagnosticsText(failure, requestId));
    identify(outcome, requestId);
    addTraceId(fhirContext, outcome, traceId());
    return outcome;
  }

  /**
   * The trace id to show in outcomes: the one of the {@code traceparent} the request this thread
   * serves came with, when {@code fhirguard.outcome.include-trace-id} is on; else {@code null}.
   */
  public String traceId() {
    if (!includeTraceId) {
      return null;
    }
    MdcScope request = MdcScope.current();
    TraceContext trace = request == null ? null : request.identity().trace();
    return trace == null ? null : trace.traceId();
  }

  /** Adds the trace id extension to {@code outcome} unless {@code traceId} is {@code null}. */
  public static void addTraceId(FhirContext fhirContext, IBaseResource outcome, String traceId) {
    if (traceId != null && !ExtensionUtil.hasExtension(outcome, TRACE_ID_EXTENSION)) {
      ExtensionUtil.addExtension(fhirContext, outcome, TRACE_ID_EXTENSION, "string", traceId);
    }
  }

  /** An outcome with one issue of {@code issueType}, the catalog coding of {@code code}. */
  private IBaseOperationOutcome singleIssue(FhirContext fhirContext, ErrorCode code,
      String severity, String issueType, String diagnostics) {
    IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
    IBase issue = OperationOutcomeUtil.addIssue(
        fhirContext, outcome, severity, diagnostics, null, issueType);
    addCatalogCoding(fhirContext, issue, code);
    return outcome;
  }

  /**
   * The {@code issue.diagnostics} text of {@code failure}: its public text if it has one (a text
   * fhirguard wrote itself, shown whatever {@code expose-client-error-details} says), else the
   * client-safe detail or the catalog text. Server errors end with the transaction id.
   */
  public String diagnosticsText(Failure failure, String requestId) {
    if (failure.publicText() != null) {
      return failure.code().isServerError()
          ? failure.publicText() + " Transaction id: " + requestId
          : failure.publicText();
    }
    return diagnosticsText(failure.code(), failure.message(), requestId);
  }

  /** The {@code issue.diagnostics} text: safe client detail, or the catalog text. */
  public String diagnosticsText(ErrorCode code, String message, String requestId) {
    if (code.isServerError()) {
      return code.defaultText() + " Transaction id: " + requestId;
    }
    String shown = exposeClientErrorDetails ? diagnostics.clientText(message) : null;
    return shown != null ? shown : code.defaultText();
  }

  /** Sets the transaction id as the outcome's id. */
  public static void identify(IBaseResource outcome, String requestId) {
    if (requestId != null) {
      outcome.setId(requestId);
    }
  }

  /** Adds the catalog coding to an issue: to its details, or as new details with the text. */
  public void addCatalogCoding(FhirContext fhirContext, IBase issue, ErrorCode code) {
    FhirTerser terser = fhirContext.newTerser();
    IBase details = terser.getSingleValueOrNull(issue, "details", IBase.class);
    if (details == null) {
      OperationOutcomeUtil.addDetailsToIssue(
          fhirContext, issue, codeSystem, code.code(), code.defaultText());
      return;
    }
    for (IBase existing : terser.getValues(details, "coding")) {
      if (codeSystem.equals(terser.getSinglePrimitiveValueOrNull(existing, "system"))) {
        return; // fhirguard coded this issue already
      }
    }
    IBase coding = terser.addElement(details, "coding");
    terser.setElement(coding, "system", codeSystem);
    terser.setElement(coding, "code", code.code());
  }

  /**
   * The encoded outcome for {@code failure}, in this renderer's FHIR version. A client error's
   * outcome comes from a remembered template ({@link OutcomeTemplates}); the bytes are the same.
   */
  public byte[] render(Failure failure, String requestId, Format format) {
    ErrorCode code = failure.code();
    if (code.isServerError() || !OutcomeTemplates.fits(requestId)) {
      return encode(outcome(context, failure, requestId), format);
    }
    String text = diagnosticsText(failure, requestId);
    return templates.render(code, text, format, requestId, traceId(), (id, traceId) -> {
      IBaseOperationOutcome outcome =
          singleIssue(context, code, code.severity(), code.issueType(), text);
      identify(outcome, id);
      addTraceId(context, outcome, traceId);
      return encode(outcome, format);
    });
  }

  /**
   * An outcome with one issue of {@code severity} and {@code issueType}, the catalog coding of
   * {@code code} and {@code diagnostics} as given, as compact JSON on one line (an NDJSON line
   * without its break).
   */
  public String jsonLine(ErrorCode code, String severity, String issueType, String diagnostics) {
    return context.newJsonParser().setPrettyPrint(false)
        .encodeResourceToString(singleIssue(context, code, severity, issueType, diagnostics));
  }

  private byte[] encode(IBaseResource outcome, Format format) {
    IParser parser = format == Format.XML ? context.newXmlParser() : context.newJsonParser();
    parser.setPrettyPrint(prettyPrint);
    return parser.encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code body} is a parseable OperationOutcome in {@code format}. */
  public boolean isOperationOutcome(byte[] body, Format format) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.contains("OperationOutcome")) {
      return false;
    }
    try {
      IParser parser =
          format == Format.XML ? context.newXmlParser() : context.newJsonParser();
      return parser.parseResource(text) instanceof IBaseOperationOutcome;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
