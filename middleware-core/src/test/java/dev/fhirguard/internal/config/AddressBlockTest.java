package dev.fhirguard.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressBlockTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.3.4, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.7, 192.168.1.7, true",
    "192.168.1.7, 192.168.1.8, false",
    "203.0.113.0/24, 203.0.113.255, true",
    "0.0.0.0/0, 8.8.8.8, true",
    "0.0.0.0/0, ::1, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1, 0:0:0:0:0:0:0:1, true",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "172.16.0.0/12, 172.31.255.255, true",
    "172.16.0.0/12, 172.32.0.0, false",
  })
  void a_block_contains_exactly_the_addresses_under_its_prefix(
      String block, String address, boolean inside) {
    assertEquals(inside, AddressBlock.parse(block).contains(AddressBlock.literal(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "localhost", "example.org", "10.0.0", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/", "1.2.3.4/x",
    "::1/129", "fe80::1%eth0", "", "10.0.0.0/8/8", " 10.0.0.1"
  })
  void anything_but_a_literal_address_or_block_is_refused_without_a_lookup(String text) {
    assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "a.b", "1.2.3", "01234.1.1.1", "g::1", "[::1]", "1.2.3.4.",
    ".1.2.3", "1..2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "1.2.3.+4", "\u0661.2.3.4", "1.2.3.\uff14"})
  void a_host_name_is_never_a_literal(String text) {
    assertNull(AddressBlock.literal(text));
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0, 0, 0, 0, 0", "255.255.255.255, 255, 255, 255, 255", "10.020.3.4, 10, 20, 3, 4"})
  void an_ipv4_literal_is_read_as_its_four_bytes(String text, int a, int b, int c, int d) {
    assertArrayEquals(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, AddressBlock.literal(text));
  }

  @ParameterizedTest
  @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "2001:db8:1::/32, 2001:db8:0:0:0:0:0:0/32", "1.2.3.4, 1.2.3.4"})
  void a_block_is_shown_in_canonical_form(String text, String shown) {
    assertEquals(shown, AddressBlock.parse(text).toString());
  }
}
