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
    return client != null ? "client:" + client.clientId() : key("anonymous:", request);
  }

  /** {@code address:<ip>}: the key of the limit in front of authentication. */
  public String address(HttpServletRequest request) {
    return key("address:", request);
  }

  /** {@code prefix} and the address as {@link InetAddress#getHostAddress} writes it. */
  private String key(String prefix, HttpServletRequest request) {
    byte[] address = addresses.of(request);
    if (address == null) {
      return prefix + "unknown";
    }
    if (address.length == 4) { // every request over IPv4: no InetAddress and its formatting
      return dottedQuad(prefix, address);
    }
    if (address.length == 16) { // IPv6 counts by its /64 network (IPv4-mapped ones are 4 bytes)
      address = Arrays.copyOf(Arrays.copyOf(address, 8), 16);
    }
    try {
      return prefix + InetAddress.getByAddress(address).getHostAddress(); // no name lookup
    } catch (UnknownHostException impossible) {
      return prefix + "unknown";
    }
  }

  private static String dottedQuad(String prefix, byte[] address) {
    StringBuilder key = new StringBuilder(prefix.length() + 15).append(prefix);
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        key.append('.');
      }
      key.append(address[i] & 0xff);
    }
    return key.toString();
  }
}
