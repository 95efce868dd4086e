package dev.fhirguard.demo.export;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code _elements} kick-off parameter: top-level elements, {@code Patient.name} for one type
 * or {@code name} for every exported type that has it. Turned into the paths of HAPI's {@code
 * IParser.setEncodeElements}: a type named keeps only those elements and its mandatory ones (and
 * its {@code id} and {@code meta}, with the {@code SUBSETTED} tag HAPI adds), a type not named
 * is exported whole.
 */
final class ExportElements {

  static final String ELEMENTS = "_elements";

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private ExportElements() {}

  /**
   * The encode paths of {@code values} (every value given, each comma-separated); {@code null}
   * when none, for whole resources.
   *
   * @throws InvalidParameter naming the first element that is not a top-level element of a type
   *     of {@code level}
   */
  static Set<String> parse(ExportLevel level, List<String> values) throws InvalidParameter {
    if (values == null || values.isEmpty()) {
      return null;
    }
    Set<String> paths = new LinkedHashSet<>();
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        String trimmed = element.trim();
        String type = type(level, trimmed);
        String scope = type == null ? "*" : type;
        paths.add(scope + "." + trimmed.substring(trimmed.indexOf('.') + 1));
        paths.add(scope + ".(mandatory)");
      }
    }
    return paths;
  }

  /** The type {@code element} names, {@code null} for all; refused when there is no such one. */
  private static String type(ExportLevel level, String element) throws InvalidParameter {
    String[] parts = element.split("\\.", -1);
    if (parts.length == 1 && level.types().stream().anyMatch(t -> isElementOf(t, parts[0]))) {
      return null;
    }
    if (parts.length == 2 && level.types().contains(parts[0])
        && isElementOf(parts[0], parts[1])) {
      return parts[0];
    }
    throw new InvalidParameter(ELEMENTS, element, "not a top-level element of a resource type"
        + " this export includes (" + String.join(", ", level.types()) + "), e.g. Patient.name"
        + " or id");
  }

  private static boolean isElementOf(String type, String name) {
    if (name.isEmpty()) {
      return false;
    }
    RuntimeResourceDefinition definition = FHIR.getResourceDefinition(type);
    return definition.getChildByName(name) != null
        || definition.getChildByName(name + "[x]") != null;
  }
}
