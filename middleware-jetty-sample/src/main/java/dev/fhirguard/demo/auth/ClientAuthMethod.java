package dev.fhirguard.demo.auth;

import java.util.Arrays;
import java.util.Optional;

/** How a client authenticates at the token endpoint. */
enum ClientAuthMethod {
  /** A JWT client assertion signed with the client's private key (RFC 7523). */
  PRIVATE_KEY_JWT("private_key_jwt"),
  /** HTTP Basic {@code client_id:secret} (RFC 6749 section 2.3.1). */
  CLIENT_SECRET_BASIC("client_secret_basic");

  private final String wireName;

  ClientAuthMethod(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration and in the SMART configuration document. */
  String wireName() {
    return wireName;
  }

  static Optional<ClientAuthMethod> fromWireName(String name) {
    return Arrays.stream(values()).filter(method -> method.wireName.equals(name)).findFirst();
  }
}
