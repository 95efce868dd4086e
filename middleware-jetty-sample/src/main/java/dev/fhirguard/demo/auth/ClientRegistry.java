package dev.fhirguard.demo.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/** The registered clients and the access-token lifetime, read from sample-clients.properties. */
final class ClientRegistry {

  static final String RESOURCE = "sample-clients.properties";

  private final Map<String, ClientRegistration> clients;
  private final Duration tokenLifetime;

  ClientRegistry(Map<String, ClientRegistration> clients, Duration tokenLifetime) {
    this.clients = Map.copyOf(clients);
    this.tokenLifetime = tokenLifetime;
  }

  /**
   * Reads {@value #RESOURCE} from the classpath.
   *
   * @throws SampleClientsConfigException listing every problem of the file
   */
  static ClientRegistry loadFromClasspath() {
    ClassLoader loader = ClientRegistry.class.getClassLoader();
    return parse(readProperties(loader), loader);
  }

  private static Properties readProperties(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new SampleClientsConfigException(
            List.of(RESOURCE + " is not on the classpath; add it to src/main/resources."));
      }
      Properties properties = new Properties();
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      return properties;
    } catch (IOException | IllegalArgumentException e) {
      throw new SampleClientsConfigException(
          List.of(RESOURCE + " cannot be read as a properties file: " + e.getMessage()));
    }
  }

  /**
   * Validates {@code properties}, resolving key files against {@code resources}.
   *
   * @throws SampleClientsConfigException listing every problem found
   */
  static ClientRegistry parse(Properties properties, ClassLoader resources) {
    return new ClientRegistryParser(properties, resources).parse();
  }

  Optional<ClientRegistration> find(String clientId) {
    return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
  }

  Duration tokenLifetime() {
    return tokenLifetime;
  }

  /** Every scope some client may be granted, sorted, without repeats. */
  List<String> allScopes() {
    Set<String> all = new LinkedHashSet<>();
    clients.values().forEach(client -> all.addAll(client.scopes()));
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(null);
    return sorted;
  }
}
