package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * A real HAPI R4 RestfulServer with every interaction the scope tests need: Patient (read,
 * vread, search, create, update, patch, delete, instance and type history, {@code $export},
 * {@code $summary} (GET-able) and {@code $merge} (POST only)), Observation (read, search by
 * category, create, a {@code $export} that reads its own request), Group (read, {@code $export}),
 * and at system level transaction/batch, history, search and {@code $export}. Each {@code
 * $export} answers what it was asked for ({@code _type}, {@code _typeFilter}). Every provider method counts its calls under a key such as
 * {@code "Patient.read"}, so a test can tell whether a request reached the provider.
 */
public final class ScopedFhirServer extends RestfulServer {

  private static final int ANY = OperationParam.MAX_UNLIMITED;

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  public ScopedFhirServer() {
    super(FhirContext.forR4Cached());
    setResourceProviders(List.of(new PatientProvider(), new ObservationProvider(),
        new GroupProvider()));
    setPlainProviders(List.of(new SystemProvider()));
  }

  /**
   * A test server with a new one of these at {@code /fhir/*} and the non-HAPI {@link
   * EchoFhirServlet} at {@code /plain/*}; fhirguard checks tokens with its configured verifier.
   * {@link TestServer#servlet(Class)} finds both, to count the calls that reached them.
   */
  public static TestServer.Builder app() {
    return TestServer.builder().fhir("/fhir/*", new ScopedFhirServer())
        .servlet("/plain/*", new EchoFhirServlet());
  }

  /**
   * {@link #app()} with authentication on and tokens checked by {@link ScopeTokens#verifier()}.
   * The JWT settings are there only because configuration validation demands them even when a
   * custom verifier is plugged in (the builder's verifier is not known when the configuration is
   * loaded); they are never used.
   */
  public static TestServer.Builder appWithTestTokens() {
    return app().settings(ScopeTokens.Signer.settings(
            "fhirguard.auth.public-key-file", ScopeTokens.unusedKeyFile()))
        .guardOption(guard -> guard.tokenVerifier(ScopeTokens.verifier()));
  }

  /** How often the provider method named {@code key} (e.g. {@code "system.transaction"}) ran. */
  public int calls(String key) {
    AtomicInteger count = calls.get(key);
    return count == null ? 0 : count.get();
  }

  /** The total number of provider calls so far. */
  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void count(String key) {
    calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** What an export was asked for: its level, its {@code _type} and {@code _typeFilter} values. */
  private static Parameters exported(
      String level, List<StringType> types, List<StringType> filters) {
    Parameters parameters = new Parameters();
    parameters.addParameter("level", level);
    parameters.addParameter("types", types == null ? "*" : String.join(",",
        types.stream().map(StringType::getValue).toList()));
    if (filters != null) {
      filters.forEach(filter -> parameters.addParameter("typeFilter", filter.getValue()));
    }
    return parameters;
  }

  /** Patient: the full set of instance and type interactions. */
  public final class PatientProvider implements IResourceProvider {

    @Override
    public Class<Patient> getResourceType() {
      return Patient.class;
    }

    @Read(version = true)
    public Patient read(@IdParam IdType id) {
      count(id.hasVersionIdPart() ? "Patient.vread" : "Patient.read");
      if (!id.getIdPart().equals("1")) {
        throw new ResourceNotFoundException(id);
      }
      Patient patient = new Patient();
      patient.setId(new IdType("Patient", "1", id.hasVersionIdPart() ? id.getVersionIdPart() : "3"));
      patient.addName().setFamily("Chalmers");
      return patient;
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_NAME) StringParam name) {
      count("Patient.search");
      return List.of();
    }

    /** A compartment search, {@code GET Patient/1/Observation}. */
    @Search(compartmentName = "Observation")
    public List<Observation> observations(@IdParam IdType id) {
      count("Patient.observations");
      return List.of();
    }

    @Create
    public MethodOutcome create(@ResourceParam Patient patient) {
      count("Patient.create");
      return new MethodOutcome(new IdType("Patient", "2", "1"), true);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient patient) {
      count("Patient.update");
      return new MethodOutcome(new IdType("Patient", id.getIdPart(), "4"));
    }

    @Patch
    public MethodOutcome patch(
        @IdParam IdType id, PatchTypeEnum type, @ResourceParam String body) {
      count("Patient.patch");
      return new MethodOutcome(new IdType("Patient", id.getIdPart(), "5"));
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
      count("Patient.delete");
      return new MethodOutcome();
    }

    @History
    public List<Patient> instanceHistory(@IdParam IdType id) {
      count("Patient.history-instance");
      return List.of();
    }

    @History
    public List<Patient> typeHistory() {
      count("Patient.history-type");
      return List.of();
    }

    @Operation(name = "$export", idempotent = true)
    public Parameters export(
        @OperationParam(name = "_type", max = ANY) List<StringType> types,
        @OperationParam(name = "_typeFilter", max = ANY) List<StringType> filters) {
      count("Patient.$export");
      return exported("Patient", types, filters);
    }

    @Operation(name = "$summary", idempotent = true)
    public Parameters summary(@IdParam IdType id) {
      count("Patient.$summary");
      return new Parameters().addParameter("id", id.getIdPart());
    }

    @Operation(name = "$merge")
    public Parameters merge(@OperationParam(name = "source", min = 0) StringType source) {
      count("Patient.$merge");
      return new Parameters().addParameter("merged", true);
    }
  }

  /**
   * Observation: read, search by category and code (one value or comma-separated alternatives,
   * {@code _revinclude} accepted), create.
   */
  public final class ObservationProvider implements IResourceProvider {

    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Read
    public Observation read(@IdParam IdType id) {
      count("Observation.read");
      Observation observation = new Observation();
      observation.setId(new IdType("Observation", id.getIdPart(), "1"));
      observation.setStatus(Observation.ObservationStatus.FINAL);
      observation.getCode().setText("glucose");
      return observation;
    }

    @Search
    public List<Observation> search(
        @OptionalParam(name = Observation.SP_CATEGORY) TokenOrListParam category,
        @OptionalParam(name = Observation.SP_CODE) TokenOrListParam code,
        @IncludeParam(reverse = true) Set<Include> revIncludes) {
      count("Observation.search");
      return List.of();
    }

    @Create
    public MethodOutcome create(@ResourceParam Observation observation) {
      count("Observation.create");
      return new MethodOutcome(new IdType("Observation", "7", "1"), true);
    }

    /** An export that reads its own request body ({@code manualRequest}): it echoes the body. */
    @Operation(name = "$export", idempotent = true, manualRequest = true)
    public Parameters export(RequestDetails request) {
      count("Observation.$export");
      return new Parameters().addParameter("body",
          new String(request.loadRequestContents(), StandardCharsets.UTF_8));
    }
  }

  /** Group: read and the instance-level {@code $export}. */
  public final class GroupProvider implements IResourceProvider {

    @Override
    public Class<Group> getResourceType() {
      return Group.class;
    }

    @Read
    public Group read(@IdParam IdType id) {
      count("Group.read");
      Group group = new Group();
      group.setId(new IdType("Group", id.getIdPart(), "1"));
      group.setType(Group.GroupType.PERSON);
      group.setActual(true);
      return group;
    }

    @Operation(name = "$export", idempotent = true)
    public Parameters export(@IdParam IdType id,
        @OperationParam(name = "_type", max = ANY) List<StringType> types,
        @OperationParam(name = "_typeFilter", max = ANY) List<StringType> filters) {
      count("Group.$export");
      return exported("Group/" + id.getIdPart(), types, filters);
    }
  }

  /** System level: transaction and batch (one HAPI binding), history, {@code $export}. */
  public final class SystemProvider {

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
      count("system.transaction");
      Bundle response = new Bundle();
      response.setType(bundle.getType() == Bundle.BundleType.BATCH
          ? Bundle.BundleType.BATCHRESPONSE : Bundle.BundleType.TRANSACTIONRESPONSE);
      for (Bundle.BundleEntryComponent ignored : bundle.getEntry()) {
        response.addEntry().getResponse().setStatus("200 OK");
      }
      return response;
    }

    @History
    public List<IBaseResource> history() {
      count("system.history");
      return List.of();
    }

    @Search(allowUnknownParams = true)
    public List<IBaseResource> searchAll() {
      count("system.search");
      return List.of();
    }

    @Operation(name = "$export", idempotent = true)
    public Parameters export(
        @OperationParam(name = "_type", max = ANY) List<StringType> types,
        @OperationParam(name = "_typeFilter", max = ANY) List<StringType> filters) {
      count("system.$export");
      return exported("system", types, filters);
    }
  }
}
