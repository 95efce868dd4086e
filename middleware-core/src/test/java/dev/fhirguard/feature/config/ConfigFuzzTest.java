package dev.fhirguard.feature.config;

import static dev.fhirguard.testing.FuzzInvariants.escape;
import static dev.fhirguard.testing.FuzzInvariants.hasControl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.internal.config.Setting;
import dev.fhirguard.internal.config.Settings;
import dev.fhirguard.testing.FuzzStrings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes {@link FhirGuardConfig#load(Map)} with keys and values for every setting in {@link
 * Settings#ALL}: values of the setting's type, at and past its bounds, near-valid, junk, and paths
 * of real files (some with control characters in their names). A load either succeeds, and then
 * the effective configuration it shows (and logs at start-up) has no control character in any
 * line, or throws {@link FhirGuardConfigException} whose problems are free of control characters
 * and never show a secret's value; nothing else escapes.
 */
@Tag("fuzz")
class ConfigFuzzTest {

  private static final List<String> FILES = new ArrayList<>();

  @BeforeContainer
  static void files() throws IOException {
    Path dir = Files.createTempDirectory("config-fuzz");
    dir.toFile().deleteOnExit();
    for (String name : List.of("plain.pem", "line\nbreak.pem", "return\r.pem", "tab\t.pem",
        "nel\u0085.pem", "sep\u2028.pem", "é.pem")) {
      Path file = Files.writeString(dir.resolve(name), "not a key");
      file.toFile().deleteOnExit();
      FILES.add(file.toString());
    }
  }

  @Property
  void any_settings_load_or_fail_with_a_clean_message(
      @ForAll("settings") Map<String, String> settings) {
    FhirGuardConfig config;
    try {
      config = FhirGuardConfig.load(settings);
    } catch (FhirGuardConfigException e) {
      assertCleanProblems(e, settings);
      return;
    }
    for (String line : config.toString().split(System.lineSeparator())) {
      assertFalse(hasControl(line) || !line.startsWith("  fhirguard."),
          () -> "a control character or a forged line in the shown configuration: "
              + escape(line));
    }
  }

  /** Found by this fuzzing: a key file whose name has a line break forged a line. */
  @Example
  void a_file_whose_name_has_a_line_break_is_shown_on_one_line() {
    String file = FILES.stream().filter(f -> f.contains("\n")).findFirst().orElseThrow();
    FhirGuardConfig config = FhirGuardConfig.load(Map.of("fhirguard.auth.public-key-file", file));
    for (String line : config.toString().split(System.lineSeparator())) {
      assertFalse(hasControl(line) || !line.startsWith("  fhirguard."), () -> escape(line));
    }
  }

  /** Found by this fuzzing: an unknown key with a control character was shown raw. */
  @Example
  void an_unknown_key_with_a_control_character_is_reported_cleaned() {
    try {
      FhirGuardConfig.load(Map.of("\u007ffhirguard.fhir-version\r\nforged", "R4"));
    } catch (FhirGuardConfigException e) {
      assertCleanProblems(e, Map.of());
      return;
    }
    throw new AssertionError("an unknown key was accepted");
  }

  private static void assertCleanProblems(FhirGuardConfigException e,
      Map<String, String> settings) {
    String[] lines = e.getMessage().split(System.lineSeparator(), -1);
    assertEquals(e.problems().size() + 1, lines.length,
        () -> "one line per problem: " + escape(e.getMessage()));
    for (String line : lines) {
      assertFalse(hasControl(line), () -> "a control character in: " + escape(line));
    }
    settings.forEach((key, value) -> {
      Setting<?> setting = Settings.find(key.trim());
      if (setting != null && setting.secret() && !value.isBlank()) {
        String shown = key.trim() + " = '";
        e.problems().stream().filter(problem -> problem.startsWith(shown)).forEach(problem ->
            assertTrue(problem.startsWith(shown + "****'"),
                () -> "the secret of " + key + " shown in: " + escape(problem)));
      }
    });
  }

  @Provide
  Arbitrary<Map<String, String>> settings() {
    return entry().list().ofMinSize(1).ofMaxSize(6).map(entries -> {
      Map<String, String> map = new LinkedHashMap<>();
      entries.forEach(e -> map.put(e.get1(), e.get2()));
      return map;
    });
  }

  private Arbitrary<Tuple.Tuple2<String, String>> entry() {
    return Arbitraries.of(Settings.ALL).flatMap(setting ->
        Combinators.combine(key(setting), value(setting)).as(Tuple::of));
  }

  private static Arbitrary<String> key(Setting<?> setting) {
    String key = setting.key();
    if (setting.isTemplate()) {
      String head = key.substring(0, key.indexOf('<'));
      String tail = key.substring(key.indexOf('>') + 1);
      return Arbitraries.oneOf(Arbitraries.of("ehr", "lab-app", "a.b_c~d:e@f"),
              FuzzStrings.nearly("ehr"), FuzzStrings.junk())
          .map(name -> head + name + tail);
    }
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(key)),
        Tuple.of(1, FuzzStrings.nearly(key)),
        Tuple.of(1, Arbitraries.of(" " + key, key + "\t", "fhirguard." + "x".repeat(300))),
        Tuple.of(1, FuzzStrings.junk().map(junk -> "fhirguard." + junk)));
  }

  private static Arbitrary<String> value(Setting<?> setting) {
    String type = setting.type();
    Arbitrary<String> typed;
    if (type.equals("boolean")) {
      typed = Arbitraries.of("true", "false", "TRUE", " false ", "yes", "1", "");
    } else if (type.startsWith("integer ")) {
      String[] bounds = type.substring("integer ".length()).split("\\.\\.");
      long min = Long.parseLong(bounds[0]);
      long max = Long.parseLong(bounds[1]);
      typed = Arbitraries.oneOf(
          Arbitraries.of(min - 1, min, min + 1, max - 1, max, max + 1, (long) Integer.MAX_VALUE + 1)
              .map(String::valueOf),
          Arbitraries.longs().between(min, max).map(String::valueOf),
          Arbitraries.of("1e3", "0x10", "+5", "-0", "99999999999999999999", "5 ", "٣"));
    } else if (type.startsWith("duration")) {
      typed = Arbitraries.of("500ms", "30s", "5m", "2h", "1d", "PT30S", "0s", "-1s", "1y", "30",
          "P1D", "PT0.5S", "999999999999d", "9223372036854775807ms", "PT-1S", "p1dt", "1 s");
    } else if (type.equals("URI") || type.equals("URL")) {
      typed = Arbitraries.of("https://example.org/x", "http://127.0.0.1:1/x", "ftp://x",
          "not a uri", "https://", "http://[::1", "https://exa mple.org", "urn:x:y", "");
    } else if (type.equals("file")) {
      typed = Arbitraries.oneOf(Arbitraries.of(FILES), Arbitraries.of("/nonexistent", "", "\u0000"));
    } else {
      typed = Arbitraries.oneOf(Arbitraries.of(setting.defaultValue()),
          FuzzStrings.aroundLength(64, 'k'), FuzzStrings.aroundLength(4096, 'f'));
    }
    return Arbitraries.frequencyOf(Tuple.of(5, typed),
        Tuple.of(2, FuzzStrings.nearly(setting.defaultValue())),
        Tuple.of(1, Arbitraries.of(FILES)),
        Tuple.of(2, FuzzStrings.junk()));
  }
}
