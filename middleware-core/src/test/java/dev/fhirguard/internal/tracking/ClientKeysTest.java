package dev.fhirguard.internal.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The bucket keys of addresses: written as InetAddress writes them, IPv6 by its /64. */
class ClientKeysTest {

  private final ClientKeys keys = new ClientKeys(new ClientAddresses(List.of()));

  private static HttpServletRequest from(String remoteAddress) {
    return (HttpServletRequest) Proxy.newProxyInstance(ClientKeysTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (
            method.getName()) {
          case "getRemoteAddr" -> remoteAddress;
          case "getAttribute", "getHeader" -> null;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void an_ipv4_key_is_the_dotted_quad_inet_address_writes() throws Exception {
    for (String address : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.128.9")) {
      assertEquals("address:" + address, keys.address(from(address)));
      assertEquals("anonymous:" + address, keys.client(from(address)));
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = new byte[4];
      random.nextBytes(bytes);
      String written = InetAddress.getByAddress(bytes).getHostAddress();
      assertEquals("address:" + written, keys.address(from(written)));
    }
  }

  @Test
  void an_ipv4_mapped_ipv6_address_has_the_key_of_its_ipv4_address() {
    assertEquals("address:192.0.2.7", keys.address(from("::ffff:192.0.2.7")));
  }

  @Test
  void an_ipv6_key_is_its_slash_64_network() {
    assertEquals("address:2001:db8:1:2:0:0:0:0", keys.address(from("2001:db8:1:2:aaaa::1")));
    assertEquals("address:2001:db8:1:2:0:0:0:0", keys.address(from("[2001:db8:1:2::ffff]")));
  }

  @Test
  void a_peer_that_is_not_an_ip_address_is_unknown() {
    assertEquals("address:unknown", keys.address(from("localhost")));
  }
}
