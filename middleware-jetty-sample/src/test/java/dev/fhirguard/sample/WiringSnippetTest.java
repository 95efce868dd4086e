package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/integration.md quote the wiring region of {@link FhirServerWiring} exactly
 * (the lines between its {@code tag::wiring} and {@code end::wiring} comments, less their common
 * indentation, as a {@code java} code block), so the documentation cannot drift from the code.
 */
class WiringSnippetTest {

  private static final Path WIRING =
      Path.of("src/main/java/dev/fhirguard/sample/FhirServerWiring.java");

  @Test
  void the_readme_quotes_the_wiring_region_exactly() throws IOException {
    assertQuoted(Path.of("..", "README.md"));
  }

  @Test
  void the_integration_guide_quotes_the_wiring_region_exactly() throws IOException {
    assertQuoted(Path.of("..", "docs", "integration.md"));
  }

  @Test
  void the_wiring_file_stays_short_and_its_region_names_every_step() throws IOException {
    assertTrue(Files.readAllLines(WIRING).size() <= 150, "FhirServerWiring: at most 150 lines");
    String region = region();
    for (String step : List.of("FhirGuard.builder()", "RestfulServer",
        ".registerInterceptor(guard.interceptor())", "FhirGuardJetty.install(")) {
      assertTrue(region.contains(step), step);
    }
  }

  private static void assertQuoted(Path document) throws IOException {
    String text = Files.readString(document, StandardCharsets.UTF_8);
    String block = "```java\n" + region() + "\n```\n";
    assertTrue(text.contains(block),
        document + " should quote FhirServerWiring's region exactly:\n" + block);
    assertEquals(text.indexOf(block), text.lastIndexOf(block), document + ": quoted once");
  }

  /** The lines between the markers, less their common indentation. */
  static String region() throws IOException {
    List<String> lines = Files.readAllLines(WIRING, StandardCharsets.UTF_8);
    int start = indexOf(lines, "// tag::wiring[]") + 1;
    int end = indexOf(lines, "// end::wiring[]");
    List<String> region = lines.subList(start, end);
    int indent = region.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    return region.stream().map(line -> line.isBlank() ? "" : line.substring(indent))
        .collect(Collectors.joining("\n"));
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("FhirServerWiring has no line " + marker);
  }
}
