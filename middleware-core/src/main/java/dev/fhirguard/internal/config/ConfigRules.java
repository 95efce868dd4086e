package dev.fhirguard.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Rules that involve more than one setting, checked after each value parsed on its own. */
final class ConfigRules {

  private final Map<Setting<?>, Object> values;
  private final List<String> problems = new ArrayList<>();

  private ConfigRules(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  static List<String> check(
      Map<Setting<?>, Object> values, Map<Setting<?>, Map<String, Object>> named) {
    ConfigRules rules = new ConfigRules(values);
    rules.distinctMdcKeys();
    rules.upstreams(named);
    rules.problems.addAll(ClusterSettingKeys.check(values));
    return rules.problems;
  }

  /**
   * The problems of the configured token verifier (jwt or introspection settings). They matter
   * only when no {@code TokenVerifier} is plugged into the builder, so they are reported when the
   * guard is built (and with the other problems when there are any).
   */
  static List<String> checkVerifier(Map<Setting<?>, Object> values) {
    ConfigRules rules = new ConfigRules(values);
    if (Boolean.TRUE.equals(values.get(AuthSettings.ENABLED))) {
      if ("jwt".equals(values.get(AuthSettings.VERIFIER))) {
        rules.jwtVerifier();
      } else if ("introspection".equals(values.get(AuthSettings.VERIFIER))) {
        rules.introspectionVerifier();
      }
    }
    return rules.problems;
  }

  private void distinctMdcKeys() {
    List<Setting<String>> keys =
        List.of(Settings.MDC_REQUEST_ID_KEY, Settings.MDC_CORRELATION_ID_KEY,
            Settings.MDC_CLIENT_ID_KEY, Settings.MDC_TRACE_ID_KEY, Settings.MDC_SPAN_ID_KEY);
    for (int i = 0; i < keys.size(); i++) {
      for (int j = 0; j < i; j++) {
        Object later = values.get(keys.get(i));
        if (later != null && later.equals(values.get(keys.get(j)))) {
          problems.add(keys.get(i).key() + " = '" + later + "': expected a key different from "
              + keys.get(j).key());
        }
      }
    }
  }

  private void jwtVerifier() {
    require(AuthSettings.ISSUER, "the jwt verifier needs the issuer its tokens must name (iss)");
    if (listOf(AuthSettings.AUDIENCE).isEmpty()) {
      problems.add(AuthSettings.AUDIENCE.key() + " is empty: the jwt verifier needs the audience"
          + " (aud) its tokens must name, usually this server's FHIR base URL");
    }
    List<String> algorithms = listOf(AuthSettings.ALGORITHMS_ALLOWED);
    boolean hmac = algorithms.stream().anyMatch(a -> a.startsWith("HS"));
    boolean asymmetric = algorithms.stream().anyMatch(a -> !a.startsWith("HS"));
    boolean secret = isSet(AuthSettings.HMAC_SECRET);
    if (hmac != secret) {
      problems.add(hmac
          ? AuthSettings.HMAC_SECRET.key() + " is empty: HMAC algorithms are listed in "
              + AuthSettings.ALGORITHMS_ALLOWED.key() + " and need the shared secret"
          : AuthSettings.HMAC_SECRET.key() + " is set but " + AuthSettings.ALGORITHMS_ALLOWED.key()
              + " lists no HS256/HS384/HS512");
    }
    if (hmac && secret) {
      hmacSecretLength(algorithms);
    }
    long keySources =
        List.of(AuthSettings.JWKS_URL, AuthSettings.JWKS_FILE, AuthSettings.PUBLIC_KEY_FILE)
            .stream().filter(this::isSet).count();
    if (asymmetric && keySources != 1) {
      problems.add("expected exactly one of " + AuthSettings.JWKS_URL.key() + ", "
          + AuthSettings.JWKS_FILE.key() + " and " + AuthSettings.PUBLIC_KEY_FILE.key()
          + " for the algorithms in " + AuthSettings.ALGORITHMS_ALLOWED.key() + "; found "
          + keySources);
    }
  }

  /**
   * RFC 7518 §3.2: an HMAC key must be at least as long as the hash; Nimbus refuses shorter ones,
   * so every HS384/HS512 token would be refused as a bad signature.
   */
  private void hmacSecretLength(List<String> algorithms) {
    int bytes = ((Optional<?>) values.get(AuthSettings.HMAC_SECRET)).map(String::valueOf)
        .orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    for (String algorithm : List.of("HS512", "HS384", "HS256")) {
      int needed = Integer.parseInt(algorithm.substring(2)) / 8;
      if (algorithms.contains(algorithm) && bytes < needed) {
        problems.add(AuthSettings.HMAC_SECRET.key() + " has " + bytes + " bytes: " + algorithm
            + " in " + AuthSettings.ALGORITHMS_ALLOWED.key() + " needs a secret of at least "
            + needed + " bytes (RFC 7518 section 3.2)");
        return;
      }
    }
  }

  private void introspectionVerifier() {
    require(AuthSettings.INTROSPECTION_URL, "the introspection verifier needs its endpoint");
    if (isSet(AuthSettings.INTROSPECTION_CLIENT_ID) != isSet(AuthSettings.INTROSPECTION_CLIENT_SECRET)) {
      problems.add(AuthSettings.INTROSPECTION_CLIENT_ID.key() + " and "
          + AuthSettings.INTROSPECTION_CLIENT_SECRET.key() + " go together: set both or neither");
    }
  }

  /**
   * Every upstream configured by name has a display name (clients would otherwise see the
   * catalog text), and no circuit needs more calls than its window holds.
   */
  private void upstreams(Map<Setting<?>, Map<String, Object>> named) {
    Set<String> upstreams = new TreeSet<>();
    for (Setting<?> setting : UpstreamSettings.PER_UPSTREAM) {
      upstreams.addAll(named.getOrDefault(setting, Map.of()).keySet());
    }
    Map<String, Object> displayNames = named.getOrDefault(UpstreamSettings.DISPLAY_NAME, Map.of());
    for (String upstream : upstreams) {
      String prefix = "fhirguard.upstreams." + upstream + ".";
      if (!displayNames.containsKey(upstream)) {
        problems.add(prefix + "display-name is not set: every upstream configured under "
            + prefix + "* needs the name clients see");
      }
      minimumWithinWindow(prefix,
          namedOr(named, UpstreamSettings.EACH_MINIMUM_CALLS, UpstreamSettings.MINIMUM_CALLS, upstream),
          namedOr(named, UpstreamSettings.EACH_SLIDING_WINDOW_SIZE,
              UpstreamSettings.SLIDING_WINDOW_SIZE, upstream));
    }
    minimumWithinWindow("fhirguard.upstream.", values.get(UpstreamSettings.MINIMUM_CALLS),
        values.get(UpstreamSettings.SLIDING_WINDOW_SIZE));
  }

  private Object namedOr(
      Map<Setting<?>, Map<String, Object>> named, Setting<?> override, Setting<?> general,
      String name) {
    Object specific = named.getOrDefault(override, Map.of()).get(name);
    return specific != null ? specific : values.get(general);
  }

  private void minimumWithinWindow(String prefix, Object minimum, Object window) {
    if (minimum instanceof Integer calls && window instanceof Integer size && calls > size) {
      problems.add(prefix + "minimum-number-of-calls = " + calls + ": expected at most "
          + prefix + "sliding-window-size (" + size + "), or the circuit could never open");
    }
  }

  private void require(Setting<? extends Optional<?>> setting, String why) {
    if (!isSet(setting)) {
      problems.add(setting.key() + " is empty: " + why);
    }
  }

  private boolean isSet(Setting<?> setting) {
    return values.get(setting) instanceof Optional<?> optional && optional.isPresent();
  }

  @SuppressWarnings("unchecked")
  private List<String> listOf(Setting<List<String>> setting) {
    Object value = values.get(setting);
    return value instanceof List<?> list ? (List<String>) list : List.of();
  }
}
