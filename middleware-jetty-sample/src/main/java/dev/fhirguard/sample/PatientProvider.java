package dev.fhirguard.sample;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * In-memory Patients: read, search by {@code name} and {@code _id}, create, update and delete.
 *
 * <p>Two ids fail on purpose so the error handling can be shown: {@code Patient/sql-error} throws
 * a database-style exception with SQL in its message, {@code Patient/boom} an {@link
 * IllegalStateException} that names a source line.
 */
public class PatientProvider implements IResourceProvider {

  /** Most Patients kept, so that the demo cannot be used to fill the memory. */
  static final int MAX_PATIENTS = 1000;

  private final Map<String, Patient> patients = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextId = new AtomicLong(100);

  /** Creates the provider with Patient/1 to Patient/3. */
  public PatientProvider() {
    store("1", patient("Smith", "John", AdministrativeGender.MALE));
    store("2", patient("Jones", "Maria", AdministrativeGender.FEMALE));
    store("3", patient("Nguyen", "Anh", AdministrativeGender.UNKNOWN));
  }

  @Override
  public Class<Patient> getResourceType() {
    return Patient.class;
  }

  /** Reads one Patient; deleted ids answer 410 Gone. */
  @Read
  public Patient read(@IdParam IdType id) {
    String idPart = id.getIdPart();
    if ("sql-error".equals(idPart)) {
      throw new RuntimeException(
          "ERROR: duplicate key value violates unique constraint \"pk_patient\" SQL [insert into"
              + " patient (id, family, given) values (?, ?, ?)]; Detail: Key (id)=(42) already"
              + " exists.");
    }
    if ("boom".equals(idPart)) {
      throw new IllegalStateException("boom at com.example.Dao.load(Dao.java:42)");
    }
    Patient patient = patients.get(idPart);
    if (patient == null) {
      if (deleted.contains(idPart)) {
        throw new ResourceGoneException("Patient/" + idPart + " has been deleted");
      }
      throw new ResourceNotFoundException(id);
    }
    return patient.copy();
  }

  /** Searches by name (starts-with, case-insensitive; {@code :exact}, {@code :contains}) and id. */
  @Search
  public List<Patient> search(
      @OptionalParam(name = Patient.SP_NAME) StringParam name,
      @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id) {
    return patients.values().stream()
        .filter(p -> id == null || p.getIdElement().getIdPart().equals(id.getValue()))
        .filter(p -> name == null || matchesName(p, name))
        .sorted((a, b) -> compareIds(a.getIdElement().getIdPart(), b.getIdElement().getIdPart()))
        .map(Patient::copy)
        .toList();
  }

  /** Creates a Patient with a server-assigned id. */
  @Create
  public synchronized MethodOutcome create(@ResourceParam Patient patient) {
    ensureRoom();
    String idPart;
    do {
      idPart = Long.toString(nextId.getAndIncrement());
    } while (patients.containsKey(idPart) || deleted.contains(idPart));
    Patient stored = store(idPart, patient.copy());
    return new MethodOutcome(stored.getIdElement(), true).setResource(stored.copy());
  }

  /** Creates or replaces the Patient with the id in the URL. */
  @Update
  public synchronized MethodOutcome update(@IdParam IdType id, @ResourceParam Patient patient) {
    String idPart = id.getIdPart();
    if ("sql-error".equals(idPart) || "boom".equals(idPart)) {
      throw new InvalidRequestException("Patient/" + idPart + " is reserved for the error demo");
    }
    Patient existing = patients.get(idPart);
    if (existing == null) {
      ensureRoom();
    }
    long version = existing == null ? 1 : existing.getIdElement().getVersionIdPartAsLong() + 1;
    Patient stored = patient.copy();
    stored.setId(new IdType("Patient", idPart, Long.toString(version)));
    stored.getMeta().setVersionId(Long.toString(version)).setLastUpdated(new Date());
    patients.put(idPart, stored);
    deleted.remove(idPart);
    return new MethodOutcome(stored.getIdElement(), existing == null).setResource(stored.copy());
  }

  /** Deletes a Patient; later reads of it answer 410 Gone. */
  @Delete
  public synchronized MethodOutcome delete(@IdParam IdType id) {
    String idPart = id.getIdPart();
    if (patients.remove(idPart) == null) {
      if (deleted.contains(idPart)) {
        throw new ResourceGoneException("Patient/" + idPart + " has already been deleted");
      }
      throw new ResourceNotFoundException(id);
    }
    if (deleted.size() < MAX_PATIENTS) {
      deleted.add(idPart);
    }
    return new MethodOutcome();
  }

  private void ensureRoom() {
    if (patients.size() >= MAX_PATIENTS) {
      throw new UnprocessableEntityException(
          "This sample keeps at most " + MAX_PATIENTS + " Patients; delete some first");
    }
  }

  private Patient store(String idPart, Patient patient) {
    patient.setId(new IdType("Patient", idPart, "1"));
    patient.getMeta().setVersionId("1").setLastUpdated(new Date());
    patients.put(idPart, patient);
    return patient;
  }

  private static Patient patient(String family, String given, AdministrativeGender gender) {
    Patient patient = new Patient();
    patient.addName().setFamily(family).addGiven(given);
    patient.setGender(gender);
    patient.setActive(true);
    return patient;
  }

  private static boolean matchesName(Patient patient, StringParam param) {
    String wanted = param.getValue() == null ? "" : param.getValue();
    for (HumanName name : patient.getName()) {
      for (String part : nameParts(name)) {
        if (param.isExact()
            ? part.equals(wanted)
            : param.isContains()
                ? lower(part).contains(lower(wanted))
                : lower(part).startsWith(lower(wanted))) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> nameParts(HumanName name) {
    List<String> parts = new ArrayList<>();
    if (name.hasFamily()) {
      parts.add(name.getFamily());
    }
    for (StringType given : name.getGiven()) {
      if (given.hasValue()) {
        parts.add(given.getValue());
      }
    }
    if (name.hasText()) {
      parts.add(name.getText());
    }
    return parts;
  }

  private static String lower(String text) {
    return text == null ? "" : text.toLowerCase(Locale.ROOT);
  }

  /** Numeric ids in numeric order, others after them alphabetically. */
  private static int compareIds(String a, String b) {
    boolean numericA = a.chars().allMatch(Character::isDigit);
    boolean numericB = b.chars().allMatch(Character::isDigit);
    if (numericA && numericB) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    return numericA ? -1 : numericB ? 1 : a.compareTo(b);
  }
}
