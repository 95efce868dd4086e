package dev.fhirguard.demo.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Start-up validation of sample-clients.properties. */
class SampleClientsConfigTest {

  private static Properties properties(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  private static SampleClientsConfigException refused(Properties properties) {
    return assertThrows(SampleClientsConfigException.class,
        () -> ClientRegistry.parse(properties, SampleClientsConfigTest.class.getClassLoader()));
  }

  @Test
  void shipped_file_registers_the_five_demo_clients() {
    ClientRegistry clients = ClientRegistry.loadFromClasspath();

    for (String id : List.of("bulk-exporter", "reader", "writer", "patient-reader",
        "ip-restricted")) {
      assertTrue(clients.find(id).isPresent(), id);
    }
    assertEquals(Duration.ofSeconds(300), clients.tokenLifetime());
    assertEquals(List.of("system/Patient.r"), clients.find("patient-reader").get().scopes());
    assertTrue(clients.find("writer").get().secretMatches("writer-secret"));
  }

  @Test
  void every_problem_is_listed_in_one_message() {
    SampleClientsConfigException e = refused(properties(
        "token.lifetime-seconds", "3600",
        "client.a.auth-method", "password",
        "client.a.scopes", "system/Patient.rs",
        "client.b.auth-method", "client_secret_basic",
        "client.b.scopes", "system/Patient.rs",
        "client.c.auth-method", "private_key_jwt",
        "client.c.jwks", "demo-keys/missing.json",
        "client.c.scopes", "everything",
        "client.d.colour", "blue",
        "clients.e", "x"));

    assertEquals(7, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith(
        "Invalid sample-clients.properties (7 problems):"), e.getMessage());
    assertTrue(e.getMessage().contains("token.lifetime-seconds='3600'"), e.getMessage());
    assertTrue(e.getMessage().contains("client.a.auth-method='password'"), e.getMessage());
    assertTrue(e.getMessage().contains("client.b.secret is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("demo-keys/missing.json': no such resource"),
        e.getMessage());
    assertTrue(e.getMessage().contains("everything is not a SMART system scope"),
        e.getMessage());
    assertTrue(e.getMessage().contains("unknown attribute 'colour'"), e.getMessage());
    assertTrue(e.getMessage().contains("Unknown key 'clients.e'"), e.getMessage());
  }

  /** The problems of a private_key_jwt client registered with the keys in {@code jwks}. */
  private static List<String> problemsOfKeyClient(String jwks) {
    return refused(properties("client.r.auth-method", "private_key_jwt", "client.r.jwks", jwks,
        "client.r.scopes", "system/Patient.rs")).problems();
  }

  @Test
  void private_key_as_registered_key_is_refused() {
    assertEquals(List.of("client.r.jwks='demo-keys/reader.private.jwk.json': it contains a"
        + " private key; register only the public key."),
        problemsOfKeyClient("demo-keys/reader.private.jwk.json"));
  }

  @Test
  void a_registered_key_without_kid_is_refused_as_assertions_must_name_their_key() {
    assertEquals(List.of("client.r.jwks='test-keys/no-kid.public.jwk.json': a key has no kid;"
        + " give every key a kid (clients name their key by it)."),
        problemsOfKeyClient("test-keys/no-kid.public.jwk.json"));
  }

  @Test
  void secret_of_a_key_client_is_refused_without_showing_it() {
    SampleClientsConfigException e = refused(properties(
        "client.r.auth-method", "private_key_jwt",
        "client.r.jwks", "demo-keys/reader.public.jwk.json",
        "client.r.secret", "do-not-print-me",
        "client.r.scopes", "system/Patient.rs"));

    assertTrue(e.getMessage().contains("client.r.secret is not used by private_key_jwt"),
        e.getMessage());
    assertFalse(e.getMessage().contains("do-not-print-me"));
  }

  @Test
  void file_without_clients_is_refused() {
    SampleClientsConfigException e = refused(properties("token.lifetime-seconds", "60"));

    assertTrue(e.problems().get(0).startsWith("No client is defined"), e.getMessage());
  }

  @Test
  void public_base_must_be_an_http_url() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AuthorizationServer.create("localhost:8080"));

    assertTrue(e.getMessage().contains("Invalid public base 'localhost:8080'"), e.getMessage());
  }
}
