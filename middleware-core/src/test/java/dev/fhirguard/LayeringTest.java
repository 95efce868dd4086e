package dev.fhirguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The package layers of {@code docs/architecture.md}, checked on the compiled classes: each
 * internal package imports only the packages below it, the public value and SPI types import
 * nothing internal, and no packages import each other in a circle.
 */
class LayeringTest {

  private static final String INTERNAL = "dev.fhirguard.internal.";

  /** The internal packages, lowest first: each may import only the ones before it. */
  private static final List<String> LAYERS = List.of(
      "text", "events", "config", "chain", "tracking", "outcome", "boundary", "cluster",
      "upstream", "admission", "auth", "limit", "export",
      "pipeline");

  /** The feature packages: each imports no other feature unless listed in ALLOWED. */
  private static final Set<String> FEATURES =
      Set.of("upstream", "admission", "auth", "limit", "export");

  /** Imports between features, each with its reason: feature package -> class it may use. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      // The export jobs' cache is timed like the buckets (a Caffeine ticker from the clock).
      "export", Set.of(INTERNAL + "limit.ClockTime"));

  /** The public types internal code may use: values and SPIs that import nothing internal. */
  private static final Set<String> PUBLIC_VALUES = Set.of(
      "ErrorCode", "VerifiedClient", "TokenVerifier", "TokenRejectedException", "RateLimitStore",
      "UpstreamException", "FhirGuardConfigException", "ContainerError", "ContainerAnswer",
      "GuardListener");

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.fhirguard");

  @Test
  void each_internal_package_imports_only_the_packages_below_it() {
    List<String> violations = new ArrayList<>();
    if (!CLASSES.contain("dev.fhirguard.internal.pipeline.GuardPipeline")) {
      throw new AssertionError("the main classes were not imported");
    }
    for (JavaClass type : CLASSES) {
      String from = layerOf(type);
      if (from == null) {
        continue;
      }
      for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        String to = layerOf(target);
        if (to != null && !to.equals(from) && !mayImport(from, to, target)) {
          violations.add(dependency.getDescription());
        }
      }
    }
    if (!violations.isEmpty()) {
      throw new AssertionError("imports against the layers " + LAYERS + ":\n"
          + String.join("\n", violations));
    }
  }

  @Test
  void internal_code_uses_no_public_type_but_the_values_and_spis() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.fhirguard.internal..")
        .should().dependOnClassesThat(facade())
        .because("the facade, the Jetty adapter and the bulk toolkit sit above the internals");
    rule.check(CLASSES);
  }

  @Test
  void the_public_values_and_spis_import_nothing_internal() {
    noClasses().that(publicValues())
        .should().dependOnClassesThat().resideInAPackage("dev.fhirguard.internal..")
        .check(CLASSES);
  }

  @Test
  void the_jetty_adapter_needs_only_the_public_api() {
    noClasses().that().resideInAPackage("dev.fhirguard.jetty..")
        .should().dependOnClassesThat().resideInAPackage("dev.fhirguard.internal..")
        .because("a Tomcat or Undertow adapter must be writable with FhirGuard#answer alone")
        .check(CLASSES);
  }

  @Test
  void the_metrics_binding_needs_only_the_public_api() {
    noClasses().that().resideInAPackage("dev.fhirguard.metrics..")
        .should().dependOnClassesThat().resideInAPackage("dev.fhirguard.internal..")
        .because("it is a GuardListener and reads FhirGuard#status(), as a user's own would")
        .check(CLASSES);
    noClasses().that().resideOutsideOfPackage("dev.fhirguard.metrics..")
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .because("Micrometer is optional: nothing but dev.fhirguard.metrics may need it")
        .check(CLASSES);
  }

  @Test
  void no_packages_import_each_other_in_a_circle() {
    slices().matching("dev.fhirguard.internal.(*)..").should().beFreeOfCycles().check(CLASSES);
    slices().matching("dev.fhirguard.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  private static boolean mayImport(String from, String to, JavaClass target) {
    int fromIndex = LAYERS.indexOf(from);
    int toIndex = LAYERS.indexOf(to);
    if (FEATURES.contains(from) && FEATURES.contains(to)) {
      return ALLOWED.getOrDefault(from, Set.of()).contains(target.getName().split("\\$")[0]);
    }
    return toIndex < fromIndex;
  }

  /** The internal layer of {@code type}, or {@code null} when it is not internal. */
  private static String layerOf(JavaClass type) {
    String name = type.getPackageName();
    if (!name.startsWith(INTERNAL)) {
      return null;
    }
    String layer = name.substring(INTERNAL.length()).split("\\.")[0];
    if (!LAYERS.contains(layer)) {
      throw new AssertionError("internal package outside the layers: " + name);
    }
    return layer;
  }

  private static DescribedPredicate<JavaClass> publicValues() {
    return DescribedPredicate.describe("public values and SPIs of dev.fhirguard",
        type -> isPublicValue(type.getBaseComponentType()));
  }

  private static boolean isPublicValue(JavaClass type) {
    return type.getPackageName().equals("dev.fhirguard")
        && PUBLIC_VALUES.contains(
            type.getName().substring("dev.fhirguard.".length()).split("\\$")[0])
        || type.getPackageName().startsWith("dev.fhirguard.cluster");
  }

  private static DescribedPredicate<JavaClass> facade() {
    DescribedPredicate<JavaClass> values = publicValues();
    return DescribedPredicate.describe("the facade, the Jetty adapter and the bulk toolkit",
        type -> type.getPackageName().equals("dev.fhirguard") && !values.test(type)
            || type.getPackageName().startsWith("dev.fhirguard.jetty")
            || type.getPackageName().startsWith("dev.fhirguard.bulk"));
  }
}
