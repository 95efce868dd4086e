package dev.fhirguard.internal.limit;

import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.auth.ClientAddresses;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whom a request is counted against: its verified client, or else its network address. */
final class ClientKeys {

  private final ClientAddresses addresses;

  ClientKeys(ClientAddresses addresses) {
    this.addresses = addresses;
  }

  /** {@code client:<client-id>}, or {@code anonymous:<ip>} for a request without a token. */
  String client(HttpServletRequest request) {
    VerifiedClient client = VerifiedClient.of(request);
    return client != null ? "client:" + client.clientId() : "anonymous:" + ip(request);
  }

  /** {@code address:<ip>}: the key of the limit in front of authentication. */
  String address(HttpServletRequest request) {
    return "address:" + ip(request);
  }

  private String ip(HttpServletRequest request) {
    byte[] address = addresses.of(request);
    if (address == null) {
      return "unknown";
    }
    try {
      return InetAddress.getByAddress(address).getHostAddress(); // a literal: no name lookup
    } catch (UnknownHostException impossible) {
      return "unknown";
    }
  }
}
