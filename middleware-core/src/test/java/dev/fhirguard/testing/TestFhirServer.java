package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.LoggerFactory;

/**
 * A real HAPI R4 RestfulServer with one Patient provider whose reads fail on purpose:
 * {@code Patient/<trigger>} throws what the trigger names (see {@link #read}).
 */
public final class TestFhirServer extends RestfulServer {

  public static final String SQL_TEXT =
      "ERROR: duplicate key value violates unique constraint \"pk_patient\" SQL [insert into"
          + " hfj_resource (res_id) values (?)]";

  /** HAPI JPA's unknown search parameter (HAPI 8.8.1, BaseHapiFhirResourceDao, Msg.code 524). */
  public static final String JPA_UNKNOWN_PARAMETER = "HAPI-0524: Unknown search parameter \"foo\""
      + " for resource type \"Patient\". Valid search parameters for this search are: [_id,"
      + " birthdate, name]";

  public TestFhirServer() {
    super(FhirContext.forR4Cached());
    setResourceProviders(List.of(new PatientProvider()));
  }

  /** Patient reads and searches with failure triggers. */
  public static final class PatientProvider implements IResourceProvider {

    @Override
    public Class<Patient> getResourceType() {
      return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id) {
      LoggerFactory.getLogger(PatientProvider.class).info("reading Patient {}", id.getIdPart());
      switch (id.getIdPart()) {
        case "1":
          Patient patient = new Patient();
          patient.setId("1");
          patient.addName().setFamily("Chalmers");
          return patient;
        case "sql":
          throw new IllegalStateException(SQL_TEXT);
        case "internal":
          throw new InternalErrorException("java.sql.SQLException at org.example.Dao.load(Dao.java:42)");
        case "npe":
          throw new NullPointerException("Cannot invoke \"String.length()\" because \"x\" is null");
        case "gone":
          throw new ResourceGoneException("Patient/gone has been deleted");
        case "conflict":
          throw new ResourceVersionConflictException("Patient/conflict was changed by someone else");
        case "precondition":
          throw new PreconditionFailedException("Version 3 does not match If-Match W/\"2\"");
        case "unprocessable":
          throw new UnprocessableEntityException("Patient.birthDate must not be in the future");
        case "notimplemented":
          throw new NotImplementedOperationException("Failed to call GetAllergy: not supported");
        case "forbidden":
          throw new ForbiddenOperationException("Access denied by rule: Deny all");
        case "jpa-unknown-parameter": // what a JPA server answers to Patient?foo=bar
          throw new InvalidRequestException(JPA_UNKNOWN_PARAMETER);
        case "unauthenticated":
          throw new AuthenticationException("Missing or invalid credentials");
        default:
          throw new ResourceNotFoundException(id);
      }
    }

    @Search
    public List<Patient> search(
        @OptionalParam(name = Patient.SP_NAME) StringParam name,
        @OptionalParam(name = Patient.SP_BIRTHDATE) DateParam birthDate) {
      return List.of();
    }

    @Create
    public MethodOutcome create(@ResourceParam Patient patient) {
      patient.setId("2");
      return new MethodOutcome(new IdType("Patient", "2"), true);
    }
  }
}
