package dev.fhirguard.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Validated, immutable values of every {@link Setting}, with where each one came from. */
public final class ResolvedSettings {

  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, String> texts;
  private final Map<Setting<?>, String> sources;

  ResolvedSettings(
      Map<Setting<?>, Object> values, Map<Setting<?>, String> texts, Map<Setting<?>, String> sources) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** The effective text of a key, masked when secret; {@code null} for an unknown key. */
  public String display(String key) {
    Setting<?> setting = Settings.BY_KEY.get(key);
    return setting == null ? null : mask(setting, texts.get(setting));
  }

  /** One line per key: {@code key=value (source)}, secrets masked. */
  public String describe() {
    StringJoiner lines = new StringJoiner(System.lineSeparator());
    for (Setting<?> setting : Settings.ALL) {
      lines.add(
          "  " + setting.key() + "=" + mask(setting, texts.get(setting))
              + " (" + sources.get(setting) + ")");
    }
    return lines.toString();
  }

  static String mask(Setting<?> setting, String text) {
    if (!setting.secret() || text == null || text.isEmpty()) {
      return text;
    }
    return "****";
  }
}
