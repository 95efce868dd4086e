package dev.fhirguard.internal.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import ca.uhn.fhir.rest.server.method.ResourceParameter;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The permissions a request needs, from HAPI's view of it (its operation type and target). */
public final class HapiNeeds {

  private HapiNeeds() {}

  public static List<Need> of(RequestDetails request) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    // A compartment search (Patient/1/Observation) searches the compartment's type
    String type = request.getCompartmentName() != null ? request.getCompartmentName()
        : request.getResourceName() == null ? "*" : request.getResourceName();
    Map<String, String[]> params = request.getParameters() == null ? Map.of() : request.getParameters();
    String label = label(request);
    if (operation == null) {
      return List.of(new Need("*", Permission.READ, params, label));
    }
    return switch (operation) {
      case METADATA, GET_PAGE -> List.of();
      case READ, VREAD, HISTORY_INSTANCE, META, GET_TAGS, VALIDATE ->
          one(type, Permission.READ, params, label);
      // HAPI reports a plain provider's system-level search as SEARCH_TYPE without a type
      case SEARCH_TYPE, HISTORY_TYPE -> request.getResourceName() == null
          ? UrlNeeds.systemSearch(params, label) : one(type, Permission.SEARCH, params, label);
      case SEARCH_SYSTEM -> UrlNeeds.systemSearch(params, label);
      // R4 history has no _type parameter: whole-system history returns every type
      case HISTORY_SYSTEM -> one("*", Permission.SEARCH, params, label);
      case CREATE -> one(type, Permission.CREATE, params, label);
      case UPDATE, PATCH, UPDATE_REWRITE_HISTORY, META_ADD, META_DELETE, ADD_TAGS, DELETE_TAGS ->
          one(type, Permission.UPDATE, params, label);
      case DELETE -> one(type, Permission.DELETE, params, label);
      case TRANSACTION, BATCH -> entries(request);
      case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE ->
          operation(request, type, params, label);
      // GraphQL queries read and search across types
      case GRAPHQL_REQUEST -> List.of(new Need("*", Permission.READ, params, label),
          new Need("*", Permission.SEARCH, params, label));
      default -> one("*", Permission.READ, params, label);
    };
  }

  private static List<Need> one(String type, int permission, Map<String, String[]> params,
      String label) {
    return List.of(new Need(type, permission, params, label));
  }

  /** Each entry of a batch or transaction, checked as if it were sent alone. */
  private static List<Need> entries(RequestDetails request) {
    byte[] body = request.loadRequestContents();
    EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
    if (body == null || body.length == 0 || encoding == null) {
      return List.of(); // HAPI cannot read a body without a FHIR content type: it refuses (400)
    }
    IBaseBundle bundle = parse(request, body, encoding) instanceof IBaseBundle read ? read : null;
    if (bundle == null) {
      // Unreadable to us: HAPI should refuse it too, but if it reads it after all, no entry may
      // pass unchecked. Fail closed.
      return UrlNeeds.everything(request.getParameters() == null ? Map.of()
          : request.getParameters(), label(request) + " (unreadable bundle)");
    }
    List<Need> needs = new ArrayList<>();
    int index = 0;
    for (BundleEntryParts entry : BundleUtil.toListOfEntries(request.getFhirContext(), bundle)) {
      // getRequestType(), not getMethod(): the same value, and HAPI 8.0 has only the former
      String method = entry.getRequestType() == null ? "GET" : entry.getRequestType().name();
      String url = entry.getUrl();
      String bodyType = entry.getResource() == null
          ? null : request.getFhirContext().getResourceType(entry.getResource());
      if ((url == null || url.isBlank()) && bodyType != null) {
        url = bodyType;
      }
      for (Need need : UrlNeeds.ofEntry(index++, method, url)) {
        needs.add(need);
        // A server creates or updates the entry's resource, whatever type its URL names
        // (HAPI JPA picks the DAO from the resource): the resource's type needs the scope too.
        if (bodyType != null && (method.equals("POST") || method.equals("PUT"))
            && (url == null || !url.contains("$")) && !need.resourceType().equals("*")
            && !need.resourceType().equals(bodyType)) {
          needs.add(new Need(bodyType, need.permission(), need.parameters(), need.action()));
        }
      }
    }
    return needs;
  }

  /** The body as HAPI will read it (same content type rules and charset); null if unreadable. */
  private static IBaseResource parse(RequestDetails request, byte[] body, EncodingEnum encoding) {
    FhirContext context = request.getFhirContext();
    try {
      return encoding.newParser(context)
          .parseResource(new String(body, ResourceParameter.determineRequestCharset(request)));
    } catch (RuntimeException unreadable) { // DataFormatException, or any parser failure
      return null;
    }
  }

  /**
   * An operation: read on its type when it is declared idempotent (GET-able, so it changes
   * nothing), else update; {@code $export} by the types it exports, from its query or its body.
   */
  private static List<Need> operation(
      RequestDetails request, String type, Map<String, String[]> params, String label) {
    OperationMethodBinding binding = binding(request);
    String name = String.valueOf(request.getOperation());
    if (name.equals("$export")) {
      boolean posted = request.getRequestType() == RequestTypeEnum.POST;
      return UrlNeeds.export(type, posted
          ? ExportTypes.ofPost(params, bodyParameters(request, binding))
          : ExportTypes.of(params), params, label);
    }
    boolean idempotent = binding != null ? binding.isIdempotent()
        : !(request.getServer() instanceof RestfulServer)
            && request.getRequestType() == RequestTypeEnum.GET;
    return UrlNeeds.operation(type, name, idempotent, params, label);
  }

  /** The operation method HAPI selected, or {@code null}. */
  private static OperationMethodBinding binding(RequestDetails request) {
    if (request.getServer() instanceof RestfulServer server) {
      try {
        BaseMethodBinding binding = server.determineResourceMethod(request, request.getRequestPath());
        return binding instanceof OperationMethodBinding operation ? operation : null;
      } catch (RuntimeException notFound) {
        return null;
      }
    }
    return null;
  }

  /**
   * The parameters of a POSTed operation's body, as HAPI binds them ({@link
   * ExportTypes#parameters}); {@code null} when they cannot be told. The body is read through
   * HAPI's own {@code loadRequestContents}, which keeps the bytes for the operation to bind; it is
   * never read for a method that reads the request itself ({@code manualRequest}), nor outside a
   * {@code RestfulServer}.
   */
  private static Map<String, String[]> bodyParameters(
      RequestDetails request, OperationMethodBinding binding) {
    if (binding == null || binding.isManualRequestMode()) {
      return null;
    }
    byte[] body = request.loadRequestContents();
    if (body == null || body.length == 0) {
      return Map.of(); // HAPI binds no parameter
    }
    EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
    IBaseResource parsed = encoding == null ? null : parse(request, body, encoding);
    return parsed == null ? null : ExportTypes.parameters(request.getFhirContext(), parsed);
  }

  private static String label(RequestDetails request) {
    String method = request.getRequestType() == null ? "GET" : request.getRequestType().name();
    String path = request.getRequestPath() == null ? "" : request.getRequestPath();
    return method + " " + (path.isEmpty() ? "/" : path);
  }
}
