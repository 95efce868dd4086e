package dev.fhirguard.internal.config;

import dev.fhirguard.internal.text.LogSafe;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Validated, immutable values of every {@link Setting}, with where each one came from. */
public final class ResolvedSettings {

  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, Map<String, Object>> named;
  private final Map<String, String> texts;
  private final Map<String, String> sources;
  private final List<String> verifierProblems;

  /**
   * @param values the value of each plain setting
   * @param named the values of each template setting, by name
   * @param texts the effective text of each concrete key, in display order
   * @param sources where each concrete key's value came from
   * @param verifierProblems what is missing for the configured token verifier; reported when the
   *     guard is built without a plugged-in verifier
   */
  ResolvedSettings(
      Map<Setting<?>, Object> values,
      Map<Setting<?>, Map<String, Object>> named,
      Map<String, String> texts,
      Map<String, String> sources,
      List<String> verifierProblems) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    Map<Setting<?>, Map<String, Object>> frozen = new LinkedHashMap<>();
    named.forEach((setting, byName) ->
        frozen.put(setting, Collections.unmodifiableMap(new LinkedHashMap<>(byName))));
    this.named = Collections.unmodifiableMap(frozen);
    this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    this.verifierProblems = List.copyOf(verifierProblems);
  }

  /**
   * What the configured token verifier (jwt or introspection) lacks; empty when it is complete or
   * authentication is off. Irrelevant when the application plugs in its own verifier.
   */
  public List<String> verifierProblems() {
    return verifierProblems;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** The values of a template setting by name ({@code <client-id>} to value); maybe empty. */
  @SuppressWarnings("unchecked")
  public <T> Map<String, T> named(Setting<T> template) {
    return (Map<String, T>) (Map<String, ?>) named.getOrDefault(template, Map.of());
  }

  /** The effective text of a concrete key, masked when secret; {@code null} for an unknown key. */
  public String display(String key) {
    Setting<?> setting = Settings.find(key);
    String text = texts.get(key);
    if (setting == null || text == null) {
      return null;
    }
    return mask(setting, text);
  }

  /** Where the value of a concrete key came from; {@code null} for an unknown key. */
  public String source(String key) {
    return sources.get(key);
  }

  /** One line per key: {@code key=value (source)}, secrets masked. */
  public String describe() {
    StringJoiner lines = new StringJoiner(System.lineSeparator());
    texts.forEach((key, text) ->
        lines.add("  " + key + "=" + LogSafe.withoutControls(mask(Settings.find(key), text))
            + " (" + LogSafe.withoutControls(sources.get(key)) + ")"));
    return lines.toString();
  }

  static String mask(Setting<?> setting, String text) {
    if (setting == null || text == null || text.isEmpty()) {
      return text;
    }
    return setting.secret() ? "****" : LogSafe.withoutUrlPassword(text);
  }
}
