package dev.fhirguard.demo.export;

import dev.fhirguard.sample.GroupProvider;
import dev.fhirguard.sample.PatientProvider;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Where exported resources come from: the sample's Patient and Group stores in memory, and the
 * Observations from the backend over HTTP (so a failing backend fails the Observation part).
 */
public final class ExportSources {

  private final PatientProvider patients;
  private final Supplier<List<Observation>> observations;
  private final GroupProvider groups;

  /**
   * @param observations reads every Observation; throws when the backend fails
   */
  public ExportSources(PatientProvider patients, Supplier<List<Observation>> observations,
      GroupProvider groups) {
    this.patients = patients;
    this.observations = observations;
    this.groups = groups;
  }

  /**
   * The members of Group {@code id}, as {@code Patient/<id>}.
   *
   * @throws ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException for an unknown Group
   */
  Set<String> members(IdType id) {
    return groups.read(id).getMember().stream()
        .map(member -> patientId(member.getEntity()))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The resources of {@code type} that {@code scope} covers. */
  List<Resource> read(String type, ExportScope scope) {
    List<? extends Resource> all = switch (type) {
      case "Patient" -> patients.search(null, null).stream()
          .filter(patient -> covers(scope, "Patient/" + patient.getIdElement().getIdPart()))
          .toList();
      case "Observation" -> observations.get().stream()
          .filter(observation -> isAboutCoveredPatient(scope, observation))
          .toList();
      case "Group" -> groups.search();
      default -> throw new IllegalArgumentException("not an exported type: " + type);
    };
    return all.stream()
        .filter(resource -> changedSince(resource, scope.since()))
        .map(Resource.class::cast)
        .toList();
  }

  private static boolean isAboutCoveredPatient(ExportScope scope, Observation observation) {
    String subject = patientId(observation.getSubject());
    return scope.level() == ExportLevel.SYSTEM
        || subject.startsWith("Patient/") && covers(scope, subject);
  }

  private static boolean covers(ExportScope scope, String patientId) {
    return scope.patientIds() == null || scope.patientIds().contains(patientId);
  }

  /** Resources without {@code meta.lastUpdated} are always included: their age is unknown. */
  private static boolean changedSince(Resource resource, Instant since) {
    Date updated = resource.getMeta().getLastUpdated();
    return since == null || updated == null || !updated.toInstant().isBefore(since);
  }

  private static String patientId(Reference reference) {
    String value = reference.getReference();
    return value == null ? "" : new IdType(value).toUnqualifiedVersionless().getValue();
  }
}
