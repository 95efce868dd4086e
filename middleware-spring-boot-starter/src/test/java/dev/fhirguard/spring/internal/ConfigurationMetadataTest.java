package dev.fhirguard.spring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The starter's two generated files, made from the settings table of {@code docs/configuration.md}
 * (which the core's {@code DocsSyncTest} keeps equal to the core's settings registry), so neither
 * can drift from the core:
 *
 * <ul>
 *   <li>{@code META-INF/spring-configuration-metadata.json}: IDE completion and documentation of
 *       every {@code fhirguard.*} key in {@code application.yml} and {@code .properties};
 *   <li>{@code settings.tsv}: the keys the Spring environment bridge looks up by name.
 * </ul>
 *
 * <p>When the table changes this test fails; {@code mvn -pl middleware-spring-boot-starter -am
 * test -Dtest=ConfigurationMetadataTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfhirguard.regenerate=true} writes both files again.
 */
class ConfigurationMetadataTest {

  private static final Path TABLE = Path.of("..", "docs", "configuration.md");
  private static final Path RESOURCES = Path.of("src", "main", "resources");
  private static final Path METADATA =
      RESOURCES.resolve("META-INF").resolve("spring-configuration-metadata.json");
  private static final Path CATALOG =
      RESOURCES.resolve("dev/fhirguard/spring/internal/settings.tsv");

  @Test
  void the_configuration_metadata_is_generated_from_the_documented_settings() throws IOException {
    check(METADATA, metadata(rows()));
  }

  @Test
  void the_setting_catalog_is_generated_from_the_documented_settings() throws IOException {
    check(CATALOG, catalog(rows()));
  }

  @Test
  void the_catalog_knows_every_documented_key_and_which_are_lists() throws IOException {
    List<Row> rows = rows();
    SettingCatalog catalog = SettingCatalog.get();
    assertEquals(rows.stream().filter(r -> !r.key().contains("<")).count(), catalog.plain().size());
    assertTrue(catalog.find("FHIRGUARD_AUTH_AUDIENCE").list());
    assertTrue(!catalog.find("fhirguard.auth.enabled").list());
    assertEquals("requestId", catalog.defaultOf("fhirguard.mdc.request-id-key"));
  }

  private static void check(Path file, String expected) throws IOException {
    if (Boolean.getBoolean("fhirguard.regenerate")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertEquals(expected, actual, file + " is out of date with " + TABLE
        + ": run this test with -Dfhirguard.regenerate=true and commit the result");
  }

  /** One row of the settings table, its cells without Markdown. */
  record Row(String key, String type, String defaultValue, String description) {}

  static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(TABLE, StandardCharsets.UTF_8);
    int header = lines.indexOf("| Key | Type | Default | Description |");
    assertTrue(header >= 0, "no settings table in " + TABLE);
    List<Row> rows = new ArrayList<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i).trim();
      List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
          .map(ConfigurationMetadataTest::plain).toList();
      assertEquals(4, cells.size(), line);
      rows.add(new Row(cells.get(0), cells.get(1),
          cells.get(2).equals("(none)") ? "" : cells.get(2), cells.get(3)));
    }
    return rows;
  }

  private static String plain(String markdown) {
    return markdown.trim().replace("`", "").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  static String catalog(List<Row> rows) {
    StringBuilder tsv = new StringBuilder(
        "# Generated from docs/configuration.md by ConfigurationMetadataTest: do not edit.\n"
            + "# key\tlist or value\tdefault\n");
    for (Row row : rows) {
      tsv.append(row.key()).append('\t').append(row.type().equals("list") ? "list" : "value")
          .append('\t').append(row.defaultValue()).append('\n');
    }
    return tsv.toString();
  }

  static String metadata(List<Row> rows) throws IOException {
    List<Map<String, Object>> properties = new ArrayList<>();
    List<Map<String, Object>> hints = new ArrayList<>();
    for (Row row : rows) {
      if (!row.key().contains("<")) {
        properties.add(property(row));
        if (row.type().startsWith("one of ")) {
          hints.add(ordered("name", row.key(), "values",
              Arrays.stream(row.type().substring("one of ".length()).split(", "))
                  .map(value -> Map.of("value", value)).toList()));
        }
      }
    }
    rows.stream().filter(r -> r.key().contains("<"))
        .collect(Collectors.groupingBy(r -> r.key().substring(0, r.key().indexOf('<') - 1),
            LinkedHashMap::new, Collectors.toList()))
        .forEach((head, templates) -> properties.add(templateGroup(head, templates)));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("groups", List.of(ordered("name", "fhirguard", "description",
        "fhirguard: every error of the FHIR server as an OperationOutcome, bearer-token"
            + " authentication, SMART scopes, rate limits, maintenance and upstream failures.")));
    json.put("properties", properties);
    json.put("hints", hints);
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return new ObjectMapper().writer(printer).writeValueAsString(json) + "\n";
  }

  private static Map<String, Object> property(Row row) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", row.key());
    property.put("type", javaType(row.type()));
    String range = row.type().matches("(integer|duration|size) .*") ? " Range: "
        + row.type().substring(row.type().indexOf(' ') + 1) + "." : "";
    property.put("description", row.description() + range);
    if (!row.defaultValue().isEmpty()) {
      property.put("defaultValue", defaultValue(row));
    }
    return property;
  }

  private static Map<String, Object> templateGroup(String head, List<Row> templates) {
    String name = templates.get(0).key()
        .substring(head.length() + 1, templates.get(0).key().indexOf('>') + 1);
    String settings = templates.stream()
        .map(t -> t.key().substring(t.key().indexOf('>') + 2))
        .collect(Collectors.joining(", "));
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", head);
    property.put("type", "java.util.Map<java.lang.String,java.lang.String>");
    property.put("description", "Settings per " + name + ": " + head + "." + name
        + ".<setting>, where <setting> is one of " + settings
        + ". Use brackets for a name with dots: " + head + "[app.example.org].<setting>.");
    return property;
  }

  /** A map of two entries that keeps their order (Map.of's order changes from run to run). */
  private static Map<String, Object> ordered(String key1, Object value1, String key2, Object value2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(key1, value1);
    map.put(key2, value2);
    return map;
  }

  private static String javaType(String type) {
    if (type.equals("boolean")) {
      return "java.lang.Boolean";
    } else if (type.startsWith("integer")) {
      return "java.lang.Integer";
    } else if (type.startsWith("duration")) {
      return "java.time.Duration";
    } else if (type.equals("list")) {
      return "java.util.List<java.lang.String>";
    } else if (type.equals("URI") || type.equals("URL")) {
      return "java.net.URI";
    }
    return "java.lang.String";
  }

  private static Object defaultValue(Row row) {
    return switch (javaType(row.type())) {
      case "java.lang.Boolean" -> Boolean.valueOf(row.defaultValue());
      case "java.lang.Integer" -> Integer.valueOf(row.defaultValue());
      case "java.util.List<java.lang.String>" -> Arrays.asList(row.defaultValue().split(",\\s*"));
      default -> row.defaultValue();
    };
  }
}
