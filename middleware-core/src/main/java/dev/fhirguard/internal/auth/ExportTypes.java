package dev.fhirguard.internal.auth;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * The resource types a bulk {@code $export} kick-off produces: the types its {@code _type} names
 * (every type, {@code *}, when it names none), plus the types its {@code _typeFilter} queries
 * name. A GET binds its parameters from the query; a POST (HAPI) from its {@code Parameters}
 * body alone, so there the body's {@code _type} decides, and the query's types are added in case
 * the application reads them too. A body that was not read may name any type.
 */
final class ExportTypes {

  private static final String ALL = "*";
  private static final String TYPE = "_type";
  private static final String TYPE_FILTER = "_typeFilter";

  private ExportTypes() {}

  /** The types of a kick-off whose parameters are in its query (a GET). */
  static List<String> of(Map<String, String[]> query) {
    return of(query, query, Map.of());
  }

  /**
   * The types of a POSTed kick-off.
   *
   * @param body the body's parameters by name ({@link #parameters}), or {@code null} when the body
   *     was not read
   */
  static List<String> ofPost(Map<String, String[]> query, Map<String, String[]> body) {
    return body == null ? List.of(ALL) : of(body, query, body);
  }

  /** {@code bound}: where the application takes {@code _type} from; the others may add types. */
  private static List<String> of(
      Map<String, String[]> bound, Map<String, String[]> query, Map<String, String[]> body) {
    Set<String> types = new LinkedHashSet<>();
    if (listed(bound.get(TYPE), types) == 0) {
      types.add(ALL); // no _type: the export covers every type
    }
    listed(query.get(TYPE), types);
    listed(body.get(TYPE), types);
    filtered(query.get(TYPE_FILTER), types);
    filtered(body.get(TYPE_FILTER), types);
    return types.contains(ALL) ? List.of(ALL) : List.copyOf(types);
  }

  /** Adds the types of comma-separated {@code _type} values; how many it found. */
  private static int listed(String[] values, Set<String> into) {
    int found = 0;
    for (String value : values == null ? new String[0] : values) {
      for (String type : value == null ? new String[] {ALL} : value.split(",")) {
        String trimmed = type.strip();
        if (!trimmed.isEmpty()) {
          into.add(SmartScope.isResourceType(trimmed) ? trimmed : ALL);
          found++;
        }
      }
    }
    return found;
  }

  /**
   * Adds the types named by {@code _typeFilter} values: comma-separated queries ({@code
   * Observation?category=laboratory}), each naming its type before the {@code ?}. A piece without
   * {@code ?} that is no type name continues the previous query's value ({@code code=a,b}). A
   * filter naming no type ({@code ?name=x}, an empty value, a value that is not text) may apply
   * to every type.
   */
  private static void filtered(String[] values, Set<String> into) {
    for (String value : values == null ? new String[0] : values) {
      if (value == null || value.isBlank()) { // a filter that names no type may apply to any
        into.add(ALL);
        continue;
      }
      for (String piece : value.split(",")) {
        String query = piece.contains("%") ? UrlNeeds.decode(piece) : piece; // encoded twice
        int question = query.indexOf('?');
        String type = (question < 0 ? query : query.substring(0, question)).strip();
        if (SmartScope.isResourceType(type)) {
          into.add(type);
        } else if (question >= 0) {
          into.add(ALL);
        }
      }
    }
  }

  /**
   * The top-level parameters of a {@code Parameters} resource by name, each value as text; a
   * value that is not a primitive (a resource, parts) is {@code null}, which may name anything.
   * {@code null} for a resource that is not a {@code Parameters}: its parameters are unknown.
   */
  static Map<String, String[]> parameters(FhirContext context, IBaseResource resource) {
    if (resource == null || !"Parameters".equals(context.getResourceType(resource))) {
      return null;
    }
    BaseRuntimeChildDefinition parameter =
        context.getResourceDefinition(resource).getChildByName("parameter");
    BaseRuntimeElementCompositeDefinition<?> parts =
        (BaseRuntimeElementCompositeDefinition<?>) parameter.getChildByName("parameter");
    BaseRuntimeChildDefinition name = parts.getChildByName("name");
    BaseRuntimeChildDefinition value = parts.getChildByName("value[x]");
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (IBase each : parameter.getAccessor().getValues(resource)) {
      String key = text(name.getAccessor().getFirstValueOrNull(each).orElse(null));
      found.computeIfAbsent(key == null ? "" : key, k -> new ArrayList<>())
          .add(text(value.getAccessor().getFirstValueOrNull(each).orElse(null)));
    }
    Map<String, String[]> out = new LinkedHashMap<>();
    found.forEach((key, values) -> out.put(key, values.toArray(String[]::new)));
    return out;
  }

  private static String text(IBase value) {
    return value instanceof IPrimitiveType<?> primitive ? primitive.getValueAsString() : null;
  }
}
