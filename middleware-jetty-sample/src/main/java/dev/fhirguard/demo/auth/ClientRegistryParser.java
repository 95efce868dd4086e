package dev.fhirguard.demo.auth;

import com.nimbusds.jose.jwk.JWK;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the properties of sample-clients.properties into a {@link ClientRegistry}. */
final class ClientRegistryParser {

  static final String LIFETIME_KEY = "token.lifetime-seconds";
  static final int MAX_LIFETIME_SECONDS = 300;

  private static final Pattern CLIENT_KEY = Pattern.compile("client\\.(.+)\\.([a-z-]+)");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final List<String> ATTRIBUTES = List.of("auth-method", "jwks", "secret", "scopes");

  private final Properties properties;
  private final ClientKeyLoader keys;
  private final List<String> problems = new ArrayList<>();

  ClientRegistryParser(Properties properties, ClassLoader resources) {
    this.properties = properties;
    this.keys = new ClientKeyLoader(resources);
  }

  ClientRegistry parse() {
    Map<String, Map<String, String>> attributesById = groupByClient();
    Duration lifetime = lifetime();
    Map<String, ClientRegistration> clients = new LinkedHashMap<>();
    attributesById.forEach((id, attributes) ->
        client(id, attributes).ifPresent(client -> clients.put(id, client)));
    if (attributesById.isEmpty()) {
      problems.add("No client is defined; add client.<id>.auth-method and its other keys.");
    }
    if (!problems.isEmpty()) {
      throw new SampleClientsConfigException(problems);
    }
    return new ClientRegistry(clients, lifetime);
  }

  private Map<String, Map<String, String>> groupByClient() {
    Map<String, Map<String, String>> byId = new TreeMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      if (key.equals(LIFETIME_KEY)) {
        continue;
      }
      Matcher matcher = CLIENT_KEY.matcher(key);
      if (!matcher.matches()) {
        problems.add("Unknown key '" + Printable.text(key, 80) + "': expected " + LIFETIME_KEY
            + " or client.<id>.<attribute> with attribute one of " + ATTRIBUTES + ".");
      } else if (!ATTRIBUTES.contains(matcher.group(2))) {
        problems.add(key + ": unknown attribute '" + matcher.group(2) + "'; expected one of "
            + ATTRIBUTES + ".");
      } else if (!CLIENT_ID.matcher(matcher.group(1)).matches()) {
        problems.add(Printable.text(key, 80) + ": the client id must be 1 to 64 letters, digits,"
            + " '.', '_' or '-'.");
      } else {
        byId.computeIfAbsent(matcher.group(1), id -> new TreeMap<>())
            .put(matcher.group(2), properties.getProperty(key).trim());
      }
    }
    return byId;
  }

  private Duration lifetime() {
    String value =
        properties.getProperty(LIFETIME_KEY, String.valueOf(MAX_LIFETIME_SECONDS)).trim();
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 1 && seconds <= MAX_LIFETIME_SECONDS) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    problems.add(LIFETIME_KEY + "='" + Printable.text(value, 20) + "': expected a number of"
        + " seconds from 1 to " + MAX_LIFETIME_SECONDS + ".");
    return Duration.ofSeconds(MAX_LIFETIME_SECONDS);
  }

  private Optional<ClientRegistration> client(String id, Map<String, String> attributes) {
    String prefix = "client." + id + ".";
    List<String> scopes = scopes(prefix, attributes.get("scopes"));
    String method = attributes.get("auth-method");
    if (method == null) {
      problems.add(prefix + "auth-method is missing; set it to private_key_jwt or"
          + " client_secret_basic.");
      return Optional.empty();
    }
    Optional<ClientAuthMethod> authMethod = ClientAuthMethod.fromWireName(method);
    if (authMethod.isEmpty()) {
      problems.add(prefix + "auth-method='" + Printable.text(method, 40) + "': expected"
          + " private_key_jwt or client_secret_basic.");
      return Optional.empty();
    }
    return authMethod.get() == ClientAuthMethod.PRIVATE_KEY_JWT
        ? keyClient(id, prefix, attributes, scopes)
        : secretClient(id, prefix, attributes, scopes);
  }

  private Optional<ClientRegistration> keyClient(
      String id, String prefix, Map<String, String> attributes, List<String> scopes) {
    if (attributes.containsKey("secret")) {
      problems.add(prefix + "secret is not used by private_key_jwt clients; remove it.");
    }
    String jwks = attributes.get("jwks");
    if (jwks == null || jwks.isEmpty()) {
      problems.add(prefix + "jwks is missing; name the classpath resource with the client's"
          + " public JWK.");
      return Optional.empty();
    }
    List<JWK> publicKeys = keys.load(prefix + "jwks", jwks, problems);
    return publicKeys.isEmpty() || scopes.isEmpty()
        ? Optional.empty()
        : Optional.of(ClientRegistration.withKeys(id, publicKeys, scopes));
  }

  private Optional<ClientRegistration> secretClient(
      String id, String prefix, Map<String, String> attributes, List<String> scopes) {
    if (attributes.containsKey("jwks")) {
      problems.add(prefix + "jwks is not used by client_secret_basic clients; remove it.");
    }
    String secret = attributes.get("secret");
    if (secret == null || secret.isEmpty()) {
      problems.add(prefix + "secret is missing; client_secret_basic clients need one.");
      return Optional.empty();
    }
    return scopes.isEmpty()
        ? Optional.empty()
        : Optional.of(ClientRegistration.withSecret(id, secret, scopes));
  }

  private List<String> scopes(String prefix, String value) {
    if (value == null || value.isBlank()) {
      problems.add(prefix + "scopes is missing; list the client's SMART system scopes,"
          + " e.g. system/Patient.rs.");
      return List.of();
    }
    List<String> scopes = Arrays.asList(value.trim().split("\\s+"));
    List<String> bad = scopes.stream()
        .filter(scope -> !isSystemScope(scope))
        .toList();
    if (!bad.isEmpty()) {
      problems.add(prefix + "scopes: " + Printable.text(String.join(" ", bad), 120)
          + " is not a SMART system scope like system/Patient.rs or system/*.read.");
      return List.of();
    }
    return scopes;
  }

  private static boolean isSystemScope(String scope) {
    return SmartScope.parse(scope).filter(s -> s.context().equals("system")).isPresent();
  }
}
