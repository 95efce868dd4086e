package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.ResourceBinding;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.MethodMatchEnum;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The methods a HAPI server accepts on the path of a request, for the {@code Allow} header of a
 * 405: each binding that could serve the path (the resource type's, or the server's and the
 * capability statement's) is asked, method by method, whether it would take the request. Every
 * path gets an answer, operations, history and compartments included; an empty one when nothing
 * is bound there.
 */
public final class HapiAllowedMethods {

  private HapiAllowedMethods() {}

  /** The methods HAPI would accept on {@code request}'s path. */
  public static Set<String> of(RequestDetails request) {
    Set<String> allowed = new LinkedHashSet<>();
    if (!(request.getServer() instanceof RestfulServer server)) {
      return allowed;
    }
    List<BaseMethodBinding> bindings = bindingsFor(server, request.getResourceName());
    RequestTypeEnum asked = request.getRequestType();
    try {
      for (String method : AllowedMethods.FHIR_METHODS) {
        request.setRequestType(RequestTypeEnum.valueOf(method));
        if (bindings.stream().anyMatch(binding -> accepts(binding, request))) {
          allowed.add(method);
        }
      }
    } finally {
      request.setRequestType(asked);
    }
    return allowed;
  }

  private static List<BaseMethodBinding> bindingsFor(RestfulServer server, String resourceName) {
    List<BaseMethodBinding> bindings = new ArrayList<>();
    if (resourceName == null) {
      bindings.addAll(server.getServerBindings());
      if (server.getServerConformanceMethod() != null) {
        bindings.add(server.getServerConformanceMethod());
      }
    }
    for (ResourceBinding binding : server.getResourceBindings()) {
      if (binding.getResourceName().equals(resourceName)) {
        bindings.addAll(binding.getMethodBindings());
      }
    }
    return bindings;
  }

  private static boolean accepts(BaseMethodBinding binding, RequestDetails request) {
    if (binding.getRestOperationType() == RestOperationTypeEnum.CREATE
        && request.getId() != null && request.getId().hasIdPart()) {
      return false; // HAPI matches a create on an instance path, then refuses it (HAPI-0365)
    }
    try {
      return binding.incomingServerRequestMatchesMethod(request) != MethodMatchEnum.NONE;
    } catch (RuntimeException unmatchable) {
      return false;
    }
  }
}
