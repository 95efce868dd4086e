package dev.fhirguard.feature.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.internal.config.Setting;
import dev.fhirguard.internal.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reference tables in {@code docs/} are checked against the code in both directions: every
 * setting and every catalog entry is documented, and nothing documented is missing from the code.
 */
class DocsSyncTest {

  private static final Path DOCS = Path.of("..", "docs");

  /** How the tables show a setting without a default (an empty value). */
  private static final String NO_DEFAULT = "(none)";

  @Test
  void the_maven_coordinates_in_integration_md_are_those_of_this_build() throws IOException {
    String doc = Files.readString(DOCS.resolve("integration.md"), StandardCharsets.UTF_8);
    String snippet = doc.substring(doc.indexOf("<!-- fhirguard:coordinates:begin -->"),
        doc.indexOf("<!-- fhirguard:coordinates:end -->"));
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    String parent = pom.substring(pom.indexOf("<parent>"), pom.indexOf("</parent>"));

    assertTrue(snippet.contains("<groupId>dev.fhirguard</groupId>"), snippet);
    assertTrue(snippet.contains("<artifactId>" + element(pom.replace(parent, ""), "artifactId")
        + "</artifactId>"), snippet);
    assertTrue(snippet.contains("<version>" + element(parent, "version") + "</version>"), snippet);
  }

  private static String element(String xml, String name) {
    int start = xml.indexOf("<" + name + ">") + name.length() + 2;
    return xml.substring(start, xml.indexOf("</" + name + ">", start));
  }

  @Test
  void the_configuration_table_lists_exactly_the_settings_with_their_types_and_defaults()
      throws IOException {
    List<List<String>> rows =
        table(DOCS.resolve("configuration.md"), List.of("Key", "Type", "Default", "Description"));

    List<String> documented = new ArrayList<>();
    for (List<String> row : rows) {
      assertTrue(isCode(row.get(0)), "key not in backticks: " + row);
      assertTrue(isCode(row.get(2)) || row.get(2).equals(NO_DEFAULT),
          "default neither in backticks nor " + NO_DEFAULT + ": " + row);
      assertTrue(!row.get(3).isBlank(), "no description: " + row);
      String defaultValue = row.get(2).equals(NO_DEFAULT) ? "" : unquote(row.get(2));
      documented.add(unquote(row.get(0)) + " | " + row.get(1) + " | " + defaultValue);
    }
    List<String> actual =
        Settings.ALL.stream()
            .map(s -> s.key() + " | " + s.type() + " | " + s.defaultValue())
            .toList();

    assertSameSet(actual, documented, "configuration.md settings table");
    assertEquals(actual, documented, "rows must follow the order of Settings.ALL");
  }

  @Test
  void every_setting_key_is_under_the_prefix_and_the_table_has_no_duplicates() throws IOException {
    List<List<String>> rows =
        table(DOCS.resolve("configuration.md"), List.of("Key", "Type", "Default", "Description"));
    Set<String> keys = rows.stream().map(r -> unquote(r.get(0))).collect(Collectors.toSet());
    assertEquals(rows.size(), keys.size(), "duplicate keys in the table");
    for (Setting<?> setting : Settings.ALL) {
      assertTrue(setting.key().startsWith(Setting.PREFIX), setting.key());
    }
  }

  @Test
  void the_error_table_lists_exactly_the_catalog() throws IOException {
    List<List<String>> rows =
        table(DOCS.resolve("errors.md"),
            List.of("Code", "HTTP status", "Issue type", "Default text"));

    List<String> documented = new ArrayList<>();
    for (List<String> row : rows) {
      assertTrue(isCode(row.get(0)), "code not in backticks: " + row);
      assertTrue(row.get(1).matches("\\d{3}"), "status is not a number: " + row);
      documented.add(unquote(row.get(0)) + " | " + row.get(1) + " | " + unquote(row.get(2))
          + " | " + row.get(3));
    }
    List<String> actual =
        Arrays.stream(ErrorCode.values())
            .map(c -> c.code() + " | " + c.status() + " | " + c.issueType() + " | " + c.defaultText())
            .toList();

    assertSameSet(actual, documented, "errors.md catalog table");
    assertEquals(actual, documented, "rows must follow the enum order of ErrorCode");
  }

  // ---- Markdown table parsing

  /** The body rows of the one table whose header has exactly these columns. */
  static List<List<String>> table(Path file, List<String> header) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int headerLine = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (isRow(lines.get(i)) && cells(lines.get(i)).equals(header)) {
        assertEquals(-1, headerLine, file + " has more than one table with header " + header);
        headerLine = i;
      }
    }
    assertTrue(headerLine >= 0, file + " has no table with header " + header);
    assertTrue(headerLine + 1 < lines.size()
            && lines.get(headerLine + 1).trim().matches("\\|(\\s*:?-{3,}:?\\s*\\|)+"),
        "no separator row under the header in " + file);
    List<List<String>> rows = new ArrayList<>();
    for (int i = headerLine + 2; i < lines.size() && isRow(lines.get(i)); i++) {
      List<String> row = cells(lines.get(i));
      assertEquals(header.size(), row.size(), file + " line " + (i + 1) + ": " + lines.get(i));
      rows.add(row);
    }
    assertTrue(!rows.isEmpty(), "the table in " + file + " has no rows");
    return rows;
  }

  private static boolean isRow(String line) {
    String trimmed = line.trim();
    return trimmed.startsWith("|") && trimmed.endsWith("|") && trimmed.length() > 1;
  }

  private static List<String> cells(String line) {
    String trimmed = line.trim();
    String inner = trimmed.substring(1, trimmed.length() - 1);
    return Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList();
  }

  private static boolean isCode(String cell) {
    return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`");
  }

  private static String unquote(String cell) {
    return isCode(cell) ? cell.substring(1, cell.length() - 1) : cell;
  }

  private static void assertSameSet(List<String> actual, List<String> documented, String what) {
    Set<String> missing = new LinkedHashSet<>(actual);
    missing.removeAll(documented);
    Set<String> extra = new LinkedHashSet<>(documented);
    extra.removeAll(actual);
    assertTrue(missing.isEmpty() && extra.isEmpty(),
        what + " is out of sync with the code.\n  in code, not documented (or different): "
            + missing + "\n  documented, not in code (or different): " + extra);
  }
}
