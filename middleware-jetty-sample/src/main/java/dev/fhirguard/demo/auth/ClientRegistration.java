package dev.fhirguard.demo.auth;

import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One registered client: its id, how it authenticates (public keys or a secret) and the scopes it
 * may be granted. Only a digest of the secret is kept, and {@link #toString()} never shows it.
 */
final class ClientRegistration {

  private final String id;
  private final ClientAuthMethod authMethod;
  private final List<JWK> publicKeys;
  private final byte[] secretDigest;
  private final List<String> scopes;

  private ClientRegistration(
      String id, ClientAuthMethod authMethod, List<JWK> publicKeys, byte[] secretDigest,
      List<String> scopes) {
    this.id = id;
    this.authMethod = authMethod;
    this.publicKeys = List.copyOf(publicKeys);
    this.secretDigest = secretDigest;
    this.scopes = List.copyOf(scopes);
  }

  static ClientRegistration withKeys(String id, List<JWK> publicKeys, List<String> scopes) {
    return new ClientRegistration(id, ClientAuthMethod.PRIVATE_KEY_JWT, publicKeys, null, scopes);
  }

  static ClientRegistration withSecret(String id, String secret, List<String> scopes) {
    return new ClientRegistration(
        id, ClientAuthMethod.CLIENT_SECRET_BASIC, List.of(), sha256(secret), scopes);
  }

  String id() {
    return id;
  }

  ClientAuthMethod authMethod() {
    return authMethod;
  }

  List<JWK> publicKeys() {
    return publicKeys;
  }

  List<String> scopes() {
    return scopes;
  }

  /** Compares in constant time (digests of equal length, whatever the secrets' lengths). */
  boolean secretMatches(String candidate) {
    return secretDigest != null && MessageDigest.isEqual(secretDigest, sha256(candidate));
  }

  /**
   * The requested scopes this client may have, in request order without repeats; all of its
   * scopes when {@code requested} is empty.
   */
  List<String> grant(List<String> requested) {
    if (requested.isEmpty()) {
      return scopes;
    }
    Set<String> granted = new LinkedHashSet<>();
    for (String scope : requested) {
      if (allows(scope)) {
        granted.add(scope);
      }
    }
    return new ArrayList<>(granted);
  }

  private boolean allows(String requested) {
    if (scopes.contains(requested)) {
      return true;
    }
    Optional<SmartScope> wanted = SmartScope.parse(requested);
    return wanted.isPresent()
        && scopes.stream()
            .map(SmartScope::parse)
            .flatMap(Optional::stream)
            .anyMatch(allowed -> allowed.covers(wanted.get()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "ClientRegistration[" + id + ", " + authMethod.wireName() + ", " + scopes + "]";
  }
}
