package dev.fhirguard.internal.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SMART App Launch resource scope: {@code (patient|user|system)/(Type|*).(cruds|read|write|*)}
 * with an optional v2 query constraint ({@code ?category=laboratory}).
 *
 * @param context patient, user or system
 * @param resourceType a resource type or {@code *}
 * @param permissions the permitted interactions as {@link Permission} bits
 * @param constraint required search parameters (decoded), empty when unconstrained
 */
record SmartScope(
    String context, String resourceType, int permissions, Map<String, String> constraint) {

  /**
   * The resource scope {@code text} stands for, or {@code null} for other scopes ({@code
   * openid}, {@code launch/patient}, {@code offline_access}).
   *
   * @throws IllegalArgumentException when it looks like a resource scope but is malformed
   */
  static SmartScope parse(String text) {
    int slash = text.indexOf('/');
    String context = slash < 0 ? "" : text.substring(0, slash);
    if (!context.equals("patient") && !context.equals("user") && !context.equals("system")) {
      return null;
    }
    int question = text.indexOf('?');
    String body = text.substring(slash + 1, question < 0 ? text.length() : question);
    int dot = body.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("no '.' between resource type and permissions");
    }
    String type = body.substring(0, dot);
    if (!type.equals("*") && !isResourceType(type)) {
      throw new IllegalArgumentException("not a resource type or '*'");
    }
    String permissionText = body.substring(dot + 1);
    boolean v1 = permissionText.equals("read") || permissionText.equals("write")
        || permissionText.equals("*");
    if (v1 && question >= 0) {
      throw new IllegalArgumentException("a v1 scope (.read, .write, .*) cannot have a query");
    }
    int permissions = v1 ? Permission.ofV1(permissionText) : Permission.ofV2(permissionText);
    Map<String, String> constraint =
        question < 0 ? Map.of() : constraint(text.substring(question + 1));
    return new SmartScope(context, type, permissions, constraint);
  }

  /** Whether this scope allows {@code need}. A constrained scope allows only matching searches. */
  boolean permits(Need need) {
    if (!resourceType.equals("*") && !resourceType.equals(need.resourceType())) {
      return false;
    }
    if ((permissions & need.permission()) == 0) {
      return false;
    }
    if (constraint.isEmpty()) {
      return true;
    }
    return need.permission() == Permission.SEARCH && need.carries(constraint);
  }

  static boolean isResourceType(String text) {
    if (text.isEmpty() || text.length() > 64 || text.charAt(0) < 'A' || text.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      if (!Character.isLetter(text.charAt(i)) || text.charAt(i) > 'z') {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> constraint(String query) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals <= 0 || equals == pair.length() - 1) {
        throw new IllegalArgumentException("the query must be name=value pairs joined by '&'");
      }
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      if (pairs.put(name, URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8))
          != null) {
        throw new IllegalArgumentException("the query names " + name + " twice");
      }
    }
    return Map.copyOf(pairs);
  }
}
