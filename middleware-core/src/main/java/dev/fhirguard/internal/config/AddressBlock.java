package dev.fhirguard.internal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP address or CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), parsed without DNS. */
public final class AddressBlock {

  private final byte[] network;
  private final int prefixBits;

  private AddressBlock(byte[] network, int prefixBits) {
    this.network = network;
    this.prefixBits = prefixBits;
  }

  /**
   * Parses an address or block.
   *
   * @throws IllegalArgumentException naming what was expected
   */
  public static AddressBlock parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException(
          "expected IP addresses or CIDR blocks such as 10.0.0.0/8 or 2001:db8::/32");
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      bits = prefix(text.substring(slash + 1), address.length * 8);
    }
    return new AddressBlock(masked(address, bits), bits);
  }

  /**
   * The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), or {@code null} when the
   * text is not one. Never resolves host names.
   */
  public static byte[] literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return ipv4(text);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
        return null;
      }
    }
    try {
      return InetAddress.getByName(text).getAddress(); // a literal with ':' is never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether the address (bytes from {@link #literal}) lies inside this block. */
  public boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    return java.util.Arrays.equals(masked(address, prefixBits), network);
  }

  /** Four dot-separated decimal parts of one to three ASCII digits, each at most 255. */
  private static byte[] ipv4(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
      } else if (c == '.' && digits > 0 && value <= 255 && part < 4) {
        bytes[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? bytes : null;
  }

  private static int prefix(String text, int max) {
    if (!text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Character::isDigit)) {
      int bits = Integer.parseInt(text);
      if (bits <= max) {
        return bits;
      }
    }
    throw new IllegalArgumentException("expected a CIDR prefix length from 0 to " + max);
  }

  private static byte[] masked(byte[] address, int bits) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  @Override
  public String toString() {
    try {
      String host = InetAddress.getByAddress(network).getHostAddress();
      return prefixBits == network.length * 8 ? host : host + "/" + prefixBits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
