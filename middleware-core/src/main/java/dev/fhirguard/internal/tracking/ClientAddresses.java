package dev.fhirguard.internal.tracking;

import dev.fhirguard.internal.config.AddressBlock;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The address a request really comes from: the connection's peer, unless that peer is a trusted
 * proxy; then the forwarding headers ({@code Forwarded}, else {@code X-Forwarded-For}) are read
 * from the right, skipping trusted proxies, and the first other address is the client. Headers
 * from an untrusted peer are ignored, so they cannot be spoofed.
 */
public final class ClientAddresses {

  private static final int MAX_HOPS = 32;

  private final List<AddressBlock> trustedProxies;

  public ClientAddresses(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(AddressBlock::parse).toList();
  }

  /** The client's address bytes, or {@code null} when not even the peer's address is an IP. */
  public byte[] of(HttpServletRequest request) {
    byte[] peer = AddressBlock.literal(stripBrackets(request.getRemoteAddr()));
    if (peer == null || !isTrusted(peer)) {
      return peer;
    }
    List<String> forwarded = forwardedHops(request);
    List<String> xForwardedFor = xForwardedForHops(request);
    if (forwarded.isEmpty()) {
      return clientOf(peer, xForwardedFor);
    }
    byte[] client = clientOf(peer, forwarded);
    // A proxy that sets only one of the headers passes the other through from the client: when
    // both are present and name different clients, neither can be believed.
    return xForwardedFor.isEmpty() || java.util.Arrays.equals(client, clientOf(peer, xForwardedFor))
        ? client : peer;
  }

  private byte[] clientOf(byte[] peer, List<String> hops) {
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = AddressBlock.literal(hops.get(i));
      if (hop == null) {
        return peer; // unreadable chain: trust nothing beyond the proxy we know
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(byte[] address) {
    for (AddressBlock block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code Forwarded} for-addresses in order, client first. */
  private static List<String> forwardedHops(HttpServletRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("Forwarded"))) {
      for (String element : header.split(",")) {
        hops.add(forValue(element));
      }
    }
    return lastHops(hops);
  }

  /** The {@code X-Forwarded-For} addresses in order, client first. */
  private static List<String> xForwardedForHops(HttpServletRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
      for (String part : header.split(",")) {
        hops.add(stripBrackets(part.strip()));
      }
    }
    return lastHops(hops);
  }

  private static List<String> lastHops(List<String> hops) {
    return hops.size() > MAX_HOPS ? hops.subList(hops.size() - MAX_HOPS, hops.size()) : hops;
  }

  /** The node of {@code for=} in one {@code Forwarded} element (RFC 7239), without port. */
  private static String forValue(String element) {
    for (String pair : element.split(";")) {
      String trimmed = pair.strip();
      if (trimmed.toLowerCase(Locale.ROOT).startsWith("for=")) {
        String node = trimmed.substring(4).replace("\"", "");
        if (node.startsWith("[")) {
          int close = node.indexOf(']');
          return close > 0 ? node.substring(1, close) : "";
        }
        int colon = node.indexOf(':');
        return colon >= 0 ? node.substring(0, colon) : node;
      }
    }
    return "";
  }

  private static String stripBrackets(String address) {
    if (address != null && address.startsWith("[") && address.endsWith("]")) {
      return address.substring(1, address.length() - 1);
    }
    return address;
  }
}
