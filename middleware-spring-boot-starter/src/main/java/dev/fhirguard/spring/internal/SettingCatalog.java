package dev.fhirguard.spring.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys fhirguard reads, as documented in {@code docs/configuration.md}: the resource {@code
 * settings.tsv} beside this class, generated from that table by {@code ConfigurationMetadataTest}
 * (key, whether it is a list, default). The core's settings registry is internal; the document is
 * its public form and is checked against the registry by the core's own tests.
 */
public final class SettingCatalog {

  private static final SettingCatalog INSTANCE = load();

  /** One documented setting; a template key has a {@code <name>} part. */
  public record Entry(String key, boolean list, String defaultValue) {
    public boolean isTemplate() {
      return key.indexOf('<') >= 0;
    }
  }

  private final Map<String, Entry> bySquashedKey = new LinkedHashMap<>();
  private final List<Entry> templates = new ArrayList<>();

  private SettingCatalog(List<Entry> entries) {
    for (Entry entry : entries) {
      if (entry.isTemplate()) {
        templates.add(entry);
      } else if (bySquashedKey.put(squash(entry.key()), entry) != null) {
        throw new IllegalStateException("two fhirguard keys differ only in separators: " + entry);
      }
    }
  }

  public static SettingCatalog get() {
    return INSTANCE;
  }

  /** Every plain (non-template) setting, in documentation order. */
  public List<Entry> plain() {
    return List.copyOf(bySquashedKey.values());
  }

  public List<Entry> templates() {
    return templates;
  }

  /** The plain setting whose key is {@code key} written in any relaxed form, or null. */
  public Entry find(String key) {
    return bySquashedKey.get(squash(key));
  }

  public String defaultOf(String key) {
    Entry entry = find(key);
    return entry == null ? null : entry.defaultValue();
  }

  /**
   * A key without case and separators: {@code fhirguard.outcome.pretty-print}, {@code
   * FHIRGUARD_OUTCOME_PRETTY_PRINT}, {@code FHIRGUARD_OUTCOME_PRETTYPRINT} and {@code
   * fhirguard.outcome.prettyPrint} are all {@code FHIRGUARDOUTCOMEPRETTYPRINT}, as Spring's relaxed
   * binding treats them alike.
   */
  public static String squash(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
  }

  private static SettingCatalog load() {
    try (InputStream in = SettingCatalog.class.getResourceAsStream("settings.tsv")) {
      if (in == null) {
        throw new IllegalStateException("settings.tsv is missing beside " + SettingCatalog.class);
      }
      List<Entry> entries = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] cells = line.split("\t", -1);
          entries.add(new Entry(cells[0], "list".equals(cells[1]), cells[2]));
        }
      }
      return new SettingCatalog(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
