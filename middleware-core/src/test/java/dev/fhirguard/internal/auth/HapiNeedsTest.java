package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interactions that the HTTP tests do not reach, mapped from HAPI's view of the request. */
class HapiNeedsTest {

  private static List<String> needs(RestOperationTypeEnum operation, String type) {
    SystemRequestDetails request = new SystemRequestDetails();
    request.setFhirContext(FhirContext.forR4Cached());
    request.setRestOperationType(operation);
    request.setResourceName(type);
    return HapiNeeds.of(request).stream()
        .map(need -> need.resourceType() + "." + Permission.letter(need.permission()))
        .toList();
  }

  @Test
  void a_graph_ql_query_needs_read_and_search_on_every_type() {
    assertEquals(List.of("*.r", "*.s"), needs(RestOperationTypeEnum.GRAPHQL_REQUEST, null));
  }

  @Test
  void whole_system_history_needs_search_on_every_type_whatever_its_parameters() {
    assertEquals(List.of("*.s"), needs(RestOperationTypeEnum.HISTORY_SYSTEM, null));
  }

  @Test
  void tags_and_meta_changes_need_update_and_reading_them_needs_read() {
    assertEquals(List.of("Patient.u"), needs(RestOperationTypeEnum.META_ADD, "Patient"));
    assertEquals(List.of("Patient.u"), needs(RestOperationTypeEnum.DELETE_TAGS, "Patient"));
    assertEquals(List.of("Patient.r"), needs(RestOperationTypeEnum.META, "Patient"));
  }

  @Test
  void the_capability_statement_and_paging_need_nothing() {
    assertEquals(List.of(), needs(RestOperationTypeEnum.METADATA, null));
    assertEquals(List.of(), needs(RestOperationTypeEnum.GET_PAGE, null));
  }
}
