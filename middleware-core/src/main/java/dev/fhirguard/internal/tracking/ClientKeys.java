package dev.fhirguard.internal.tracking;

import dev.fhirguard.VerifiedClient;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Whom a request is counted against: its verified client, or else its network address. An IPv6
 * address counts by its /64 network, the smallest block a site is usually given, so an attacker
 * cannot get a fresh bucket per address from one prefix.
 */
public final class ClientKeys {

  private final ClientAddresses addresses;

  public ClientKeys(ClientAddresses addresses) {
    this.addresses = addresses;
  }

  /** {@code client:<client-id>}, or {@code anonymous:<ip>} for a request without a token. */
  public String client(HttpServletRequest request) {
    VerifiedClient client = VerifiedClient.of(request);
    return client != null ? "client:" + client.clientId() : "anonymous:" + ip(request);
  }

  /** {@code address:<ip>}: the key of the limit in front of authentication. */
  public String address(HttpServletRequest request) {
    return "address:" + ip(request);
  }

  private String ip(HttpServletRequest request) {
    byte[] address = addresses.of(request);
    if (address == null) {
      return "unknown";
    }
    if (address.length == 16) { // IPv4-mapped addresses are 4 bytes already
      address = Arrays.copyOf(Arrays.copyOf(address, 8), 16); // the /64 network
    }
    try {
      return InetAddress.getByAddress(address).getHostAddress(); // a literal: no name lookup
    } catch (UnknownHostException impossible) {
      return "unknown";
    }
  }
}
