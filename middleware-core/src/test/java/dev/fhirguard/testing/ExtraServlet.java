package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * More misbehaviour than {@link PlainServlet} offers, at {@code /extra/<behaviour>/<status>}, plus
 * a second HAPI server ({@link Fhir}, at {@code /efhir/*}) whose {@code Observation/<trigger>}
 * reads throw HAPI exceptions that carry their own OperationOutcome. {@link #server} runs both
 * next to the standard {@link TestFhirServer} and {@link PlainServlet}, with or without fhirguard.
 */
public final class ExtraServlet extends MisbehavingServlet {

  /** A 4xx message full of internals: an exception class, a stack frame and SQL. */
  public static final String INTERNAL_MESSAGE =
      "org.hibernate.exception.ConstraintViolationException: could not execute statement"
          + " at com.acme.PatientDao.save(PatientDao.java:12)";
  /** A non-ASCII client message (Latin-1 and beyond). */
  public static final String UNICODE_MESSAGE = "Prénom invalide: 日本語 ✓";
  /** A long, harmless client message (well over any diagnostics bound). */
  public static final String LONG_MESSAGE = "The family name is not valid here. ".repeat(40).trim();

  public ExtraServlet() {
    super(400);
  }

  @Override
  void service(String behaviour, int status, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    switch (behaviour) {
      case "send-error-internal" -> response.sendError(status, INTERNAL_MESSAGE);
      case "send-error-long" -> response.sendError(status, LONG_MESSAGE);
      case "send-error-unicode" -> response.sendError(status, UNICODE_MESSAGE);
      case "json-sql" -> write(response, status, "application/json",
          "{\"message\":\"" + PlainServlet.SECRET_SQL + "\"}");
      case "text-secret" -> write(response, status, "text/plain",
          "java.sql.SQLException: " + PlainServlet.SECRET_SQL + " at db.internal:5432");
      case "write-then-client-error" -> {
        // Writes with the writer while the response still looks fine, then fails with a 4xx.
        response.setContentType("text/plain");
        response.getWriter().write("started");
        throw new InvalidRequestException(UNICODE_MESSAGE);
      }
      case "body-with-status" -> {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.getOutputStream().write("must not be sent".getBytes(StandardCharsets.UTF_8));
      }
      default -> response.sendError(404);
    }
  }

  /** A HAPI R4 server whose Observation reads throw exceptions carrying their own outcomes. */
  public static final class Fhir extends RestfulServer {

    public Fhir() {
      super(FhirContext.forR4Cached());
      setResourceProviders(List.of(new ObservationProvider()));
    }
  }

  /** {@code Observation/<trigger>}: see {@link #read}. */
  public static final class ObservationProvider implements IResourceProvider {

    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Read
    public Observation read(@IdParam IdType id) {
      switch (id.getIdPart()) {
        case "invalid-on-422":
          throw new UnprocessableEntityException("rule", outcome(IssueType.INVALID, "rule broken"));
        case "business-rule-on-422":
          throw new UnprocessableEntityException(
              "rule", outcome(IssueType.BUSINESSRULE, "Observation.value must be positive"));
        case "duplicate-on-409":
          throw new ResourceVersionConflictException(
              "dup", outcome(IssueType.DUPLICATE, "already exists"));
        case "required-on-400":
          throw new InvalidRequestException(
              "req", outcome(IssueType.REQUIRED, "Observation.status is required"));
        case "processing-on-400":
          throw new InvalidRequestException(
              "proc", outcome(IssueType.PROCESSING, "Observation.status is wrong"));
        case "security-on-403":
          throw new ForbiddenOperationException("sec", outcome(IssueType.SECURITY, "no access"));
        case "deleted-on-404":
          throw new ResourceNotFoundException(
              "del", outcome(IssueType.DELETED, "Observation/x was deleted"));
        case "warning-first-400": {
          OperationOutcome outcome = new OperationOutcome();
          outcome.addIssue().setSeverity(IssueSeverity.WARNING)
              .setCode(IssueType.INFORMATIONAL).setDiagnostics("just a hint");
          outcome.addIssue().setSeverity(IssueSeverity.ERROR)
              .setCode(IssueType.PROCESSING).setDiagnostics("Observation.code is missing");
          throw new InvalidRequestException("warn", outcome);
        }
        case "details-400": {
          OperationOutcome outcome = outcome(IssueType.VALUE, "Observation.status has a bad code");
          outcome.getIssueFirstRep().setDetails(new CodeableConcept(
              new Coding("http://example.org/app-codes", "BAD_STATUS", "Bad status")).setText("Bad status"));
          throw new InvalidRequestException("details", outcome);
        }
        case "sql-outcome-500":
          throw new InternalErrorException(
              "boom", outcome(IssueType.EXCEPTION, PlainServlet.SECRET_SQL));
        case "internal-400":
          throw new InvalidRequestException(INTERNAL_MESSAGE);
        case "long-400":
          throw new InvalidRequestException(LONG_MESSAGE);
        case "unicode-400":
          throw new InvalidRequestException(UNICODE_MESSAGE);
        default:
          throw new ResourceNotFoundException(id);
      }
    }

    private static OperationOutcome outcome(IssueType type, String diagnostics) {
      OperationOutcome outcome = new OperationOutcome();
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
      return outcome;
    }
  }

  /**
   * A server with {@code /fhir/*} ({@link TestFhirServer}), {@code /plain/*} ({@link
   * PlainServlet}), {@code /extra/*} (this servlet) and {@code /efhir/*} ({@link Fhir}); with
   * fhirguard installed when {@code guarded}, using {@code settings}; bodies read as UTF-8, and
   * completed requests recorded.
   */
  public static TestServer.Builder server(boolean guarded, Map<String, String> settings) {
    TestServer.Builder server = TestServer.builder().settings(settings)
        .bodyCharset(StandardCharsets.UTF_8).completions()
        .fhir("/fhir/*", new TestFhirServer()).fhir("/efhir/*", new Fhir())
        .servlet("/plain/*", new PlainServlet()).servlet("/extra/*", new ExtraServlet());
    return guarded ? server : server.unguarded();
  }
}
