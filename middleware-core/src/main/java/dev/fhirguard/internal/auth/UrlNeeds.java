package dev.fhirguard.internal.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permissions a FHIR REST request needs, told from its method and path alone (below the FHIR
 * base, no leading '/'). Used for batch/transaction entries and for FHIR bases not served by HAPI.
 * Shapes it does not know fail closed: reading one (GET, HEAD) needs read on every type ({@code
 * *.r}), any other method needs every permission on every type ({@code *.cruds}).
 */
public final class UrlNeeds {

  private static final int ALL =
      Permission.CREATE | Permission.READ | Permission.UPDATE | Permission.DELETE | Permission.SEARCH;

  private UrlNeeds() {}

  /** The needs of {@code method} on {@code path} with these parameters. */
  public static List<Need> of(String method, String path, Map<String, String[]> params) {
    String[] parts = path.isEmpty() ? new String[0] : path.split("/");
    String label = method + " " + (path.isEmpty() ? "/" : path);
    boolean read = method.equals("GET") || method.equals("HEAD");
    return switch (parts.length) {
      case 0 -> read ? systemSearch(params, label) : all("*", params, label);
      case 1 -> one(parts[0], method, read, params, label);
      case 2 -> two(parts[0], parts[1], method, read, params, label);
      default -> deeper(parts, method, read, params, label);
    };
  }

  /** The needs of one batch/transaction entry, from its method and URL ({@code Patient/1?x=y}). */
  public static List<Need> ofEntry(int index, String method, String url) {
    String path = url == null ? "" : url;
    int question = path.indexOf('?');
    Map<String, String[]> params = question < 0 ? Map.of() : parse(path.substring(question + 1));
    path = question < 0 ? path : path.substring(0, question);
    List<Need> needs = new ArrayList<>();
    for (Need need : of(method, strip(path), params)) {
      needs.add(new Need(need.resourceType(), need.permission(), need.parameters(),
          "entry " + index + " (" + need.action() + ")"));
    }
    return needs;
  }

  /**
   * A {@code $export} at {@code level} (a type, or {@code *} for the system) needs read and search
   * on every type it exports ({@link ExportTypes}); a Group-level one also read on Group, as the
   * export reveals the Group's members.
   */
  static List<Need> export(
      String level, List<String> types, Map<String, String[]> params, String label) {
    List<Need> needs = new ArrayList<>();
    if (level.equals("Group")) {
      needs.add(new Need("Group", Permission.READ, params, label));
    }
    for (String type : types) {
      needs.add(new Need(type, Permission.READ, params, label));
      needs.add(new Need(type, Permission.SEARCH, params, label));
    }
    return needs;
  }

  /** A search across types needs search on each type in {@code _type}, else on all. */
  static List<Need> systemSearch(Map<String, String[]> params, String label) {
    return typesOf(params).stream()
        .map(type -> new Need(type, Permission.SEARCH, params, label)).toList();
  }

  private static List<Need> one(
      String part, String method, boolean read, Map<String, String[]> params, String label) {
    if (part.startsWith("$")) {
      return operation("*", part, read, params, label);
    }
    if (part.equals("metadata") && read) {
      return List.of();
    }
    if (part.equals("_search") && (read || method.equals("POST"))) {
      return systemSearch(params, label);
    }
    if (part.equals("_history") && read) { // no _type in R4 history: every type
      return List.of(new Need("*", Permission.SEARCH, params, label));
    }
    if (!SmartScope.isResourceType(part)) {
      return fallback(read, params, label);
    }
    return switch (method) {
      case "GET", "HEAD" -> List.of(new Need(part, Permission.SEARCH, params, label));
      case "POST" -> List.of(new Need(part, Permission.CREATE, params, label));
      case "PUT", "PATCH" -> List.of(new Need(part, Permission.UPDATE, params, label));
      case "DELETE" -> List.of(new Need(part, Permission.DELETE, params, label));
      default -> fallback(read, params, label);
    };
  }

  private static List<Need> two(
      String type, String second, String method, boolean read, Map<String, String[]> params,
      String label) {
    if (!SmartScope.isResourceType(type)) {
      return fallback(read, params, label);
    }
    if (second.startsWith("$")) {
      return operation(type, second, read, params, label);
    }
    if (second.equals("_search") && (read || method.equals("POST"))
        || second.equals("_history") && read) {
      return List.of(new Need(type, Permission.SEARCH, params, label));
    }
    return switch (method) {
      case "GET", "HEAD" -> List.of(new Need(type, Permission.READ, params, label));
      case "PUT", "PATCH" -> List.of(new Need(type, Permission.UPDATE, params, label));
      case "DELETE" -> List.of(new Need(type, Permission.DELETE, params, label));
      default -> fallback(read, params, label); // POST to an instance is no FHIR interaction
    };
  }

  private static List<Need> deeper(
      String[] parts, String method, boolean read, Map<String, String[]> params, String label) {
    String type = parts[0];
    if (!SmartScope.isResourceType(type)) {
      return fallback(read, params, label);
    }
    if (parts.length == 3 && parts[2].startsWith("$")) {
      return operation(type, parts[2], read, params, label);
    }
    if (parts[2].equals("_history") && parts.length <= 4 && read) {
      return List.of(new Need(type, Permission.READ, params, label));
    }
    if (parts.length == 3 && SmartScope.isResourceType(parts[2]) && read) {
      return List.of(new Need(parts[2], Permission.SEARCH, params, label)); // compartment search
    }
    return fallback(read, params, label);
  }

  /**
   * An operation: {@code $export} by its own rule (the body of a POST is not read here: it may
   * name any type); otherwise read on the type for GET (FHIR allows GET only for operations that
   * change nothing) and update for POST.
   */
  static List<Need> operation(
      String type, String name, boolean read, Map<String, String[]> params, String label) {
    if (name.equals("$export")) {
      return export(type, read ? ExportTypes.of(params) : ExportTypes.ofPost(params, null),
          params, label);
    }
    return List.of(new Need(type, read ? Permission.READ : Permission.UPDATE, params, label));
  }

  /** Every permission on every type: for requests whose needs cannot be told. */
  static List<Need> everything(Map<String, String[]> params, String label) {
    return all("*", params, label);
  }

  private static List<Need> all(String type, Map<String, String[]> params, String label) {
    List<Need> needs = new ArrayList<>();
    for (int bit = 1; bit <= ALL; bit <<= 1) {
      needs.add(new Need(type, bit, params, label));
    }
    return needs;
  }

  /** An unknown shape: read on every type to read it, every permission to do anything else. */
  private static List<Need> fallback(boolean read, Map<String, String[]> params, String label) {
    return read ? List.of(new Need("*", Permission.READ, params, label)) : all("*", params, label);
  }

  private static List<String> typesOf(Map<String, String[]> params) {
    String[] types = params.get("_type");
    if (types == null) {
      return List.of("*");
    }
    List<String> out = new ArrayList<>();
    for (String value : types) {
      for (String type : value.split(",")) {
        String trimmed = type.strip();
        if (!trimmed.isEmpty()) {
          out.add(SmartScope.isResourceType(trimmed) ? trimmed : "*");
        }
      }
    }
    return out.isEmpty() ? List.of("*") : out;
  }

  private static String strip(String path) {
    String out = path;
    while (out.startsWith("/")) {
      out = out.substring(1);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }

  /** Parses a query string into decoded name to values. */
  public static Map<String, String[]> parse(String query) {
    Map<String, List<String>> collected = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String name = decode(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
        collected.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    Map<String, String[]> params = new LinkedHashMap<>();
    collected.forEach((name, values) -> params.put(name, values.toArray(String[]::new)));
    return params;
  }

  /** {@code text} %-decoded (a '+' is a space); as it is when an escape is broken. */
  static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      return text;
    }
  }
}
