package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.ResourceBinding;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import java.util.EnumSet;
import java.util.Set;

/**
 * The methods a HAPI server accepts on a plain type ({@code Patient}) or instance ({@code
 * Patient/1}) path, from its resource bindings, for the {@code Allow} header of a 405. Paths with
 * an operation, history or compartment part get no answer rather than a guess.
 */
public final class HapiAllowedMethods {

  private HapiAllowedMethods() {}

  /** The allowed methods, or an empty set when they cannot be told. */
  public static Set<RequestTypeEnum> of(RequestDetails request) {
    Set<RequestTypeEnum> allowed = EnumSet.noneOf(RequestTypeEnum.class);
    if (!(request.getServer() instanceof RestfulServer server)
        || request.getResourceName() == null
        || request.getOperation() != null
        || request.getCompartmentName() != null) {
      return allowed;
    }
    boolean instance = request.getId() != null && request.getId().hasIdPart();
    for (ResourceBinding binding : server.getResourceBindings()) {
      if (request.getResourceName().equals(binding.getResourceName())) {
        for (BaseMethodBinding method : binding.getMethodBindings()) {
          add(allowed, method, instance);
        }
      }
    }
    return allowed;
  }

  private static void add(Set<RequestTypeEnum> allowed, BaseMethodBinding method, boolean instance) {
    if (method.getRestOperationType() == null) {
      return;
    }
    switch (method.getRestOperationType()) {
      case READ, VREAD -> addIf(instance, allowed, RequestTypeEnum.GET, RequestTypeEnum.HEAD);
      case UPDATE -> addIf(instance, allowed, RequestTypeEnum.PUT);
      case DELETE -> addIf(instance, allowed, RequestTypeEnum.DELETE);
      case PATCH -> addIf(instance, allowed, RequestTypeEnum.PATCH);
      case SEARCH_TYPE ->
          addIf(!instance && isPlainTypeSearch(method), allowed, RequestTypeEnum.GET);
      case CREATE -> addIf(!instance, allowed, RequestTypeEnum.POST);
      default -> { }
    }
  }

  /** HAPI's search bindings match neither HEAD nor, for compartment searches, the type path. */
  private static boolean isPlainTypeSearch(BaseMethodBinding method) {
    Search search = method.getMethod().getAnnotation(Search.class);
    return search != null && search.compartmentName().isEmpty() && search.queryName().isEmpty();
  }

  private static void addIf(boolean when, Set<RequestTypeEnum> allowed, RequestTypeEnum... methods) {
    if (when) {
      allowed.addAll(Set.of(methods));
    }
  }
}
