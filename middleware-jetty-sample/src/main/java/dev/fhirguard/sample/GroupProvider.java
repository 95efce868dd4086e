package dev.fhirguard.sample;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/** One read-only Group, Group/1, whose members are Patient/1 to Patient/3. */
public class GroupProvider implements IResourceProvider {

  private final Group group;

  /** Creates the provider with Group/1. */
  public GroupProvider() {
    group = new Group();
    group.setId(new IdType("Group", "1", "1"));
    group.setType(Group.GroupType.PERSON);
    group.setActual(true);
    group.setName("Sample cohort");
    for (String patientId : List.of("1", "2", "3")) {
      group.addMember().setEntity(new Reference("Patient/" + patientId));
    }
    group.setQuantity(group.getMember().size());
  }

  @Override
  public Class<Group> getResourceType() {
    return Group.class;
  }

  /** Reads Group/1. */
  @Read
  public Group read(@IdParam IdType id) {
    if (!group.getIdElement().getIdPart().equals(id.getIdPart())) {
      throw new ResourceNotFoundException(id);
    }
    return group.copy();
  }

  /** All Groups (there is one). */
  @Search
  public List<Group> search() {
    return List.of(group.copy());
  }
}
