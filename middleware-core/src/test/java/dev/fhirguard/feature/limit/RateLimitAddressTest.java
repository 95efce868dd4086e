package dev.fhirguard.feature.limit;

import static dev.fhirguard.testing.LimitServer.header;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.Outcomes.diagnostics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.testing.LimitServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The per-address bucket in front of authentication, over real HTTP with a counting plugged
 * verifier: a flood of bad tokens is refused before any of them is verified.
 */
class RateLimitAddressTest {

  private static final String PATIENT = "/fhir/Patient/1";

  private static LimitServer shield(String... more) {
    String[] settings = {"fhirguard.address-limit.enabled", "true",
        "fhirguard.address-limit.capacity", "5", "fhirguard.address-limit.period", "1m"};
    String[] all = new String[settings.length + more.length];
    System.arraycopy(settings, 0, all, 0, settings.length);
    System.arraycopy(more, 0, all, settings.length, more.length);
    return LimitServer.withClients(all);
  }

  private static HttpResponse<String> garbage(LimitServer server, int i, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer garbage-" + i;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return server.server.get(PATIENT, all);
  }

  @Test
  void a_flood_of_bad_tokens_is_refused_before_the_verifier_sees_them() {
    try (LimitServer server = shield()) {
      for (int i = 0; i < 5; i++) {
        assertError(garbage(server, i), 401, "TOKEN_SIGNATURE_INVALID");
      }
      for (int i = 5; i < 100; i++) {
        assertError(garbage(server, i), 429, "ADDRESS_RATE_LIMITED");
      }
      assertEquals(5, server.verifications.get());
    }
  }

  @Test
  void the_refusal_says_why_and_when_in_json_and_xml() {
    try (LimitServer server = shield()) {
      for (int i = 0; i < 5; i++) {
        garbage(server, i);
      }
      HttpResponse<String> json = garbage(server, 5);
      assertEquals("Too many requests from this network address. Please retry after 12 seconds.",
          diagnostics(assertError(json, 429, "ADDRESS_RATE_LIMITED", false)));
      assertEquals("12", header(json, "Retry-After"));
      assertEquals("5", header(json, "X-RateLimit-Limit"));
      assertEquals("0", header(json, "X-RateLimit-Remaining"));
      HttpResponse<String> xml = server.server.get(PATIENT + "?_format=xml");
      assertError(xml, 429, "ADDRESS_RATE_LIMITED", true);
    }
  }

  @Test
  void the_advertised_wait_is_honoured() {
    try (LimitServer server = shield()) {
      for (int i = 0; i < 5; i++) {
        garbage(server, i);
      }
      server.advanceSeconds(11);
      assertError(garbage(server, 5), 429, "ADDRESS_RATE_LIMITED");
      server.advanceSeconds(1);
      assertEquals(200, server.get("valid", PATIENT).statusCode());
    }
  }

  @Test
  void valid_clients_behind_one_address_share_its_bucket() {
    try (LimitServer server = shield()) {
      for (int i = 0; i < 5; i++) {
        assertEquals(200, server.get("client-" + i, PATIENT).statusCode());
      }
      assertError(server.get("one-more", PATIENT), 429, "ADDRESS_RATE_LIMITED");
    }
  }

  @Test
  void behind_a_trusted_proxy_each_forwarded_address_has_its_own_bucket() {
    try (LimitServer server = shield("fhirguard.client-address.trusted-proxies", "127.0.0.1")) {
      for (int i = 0; i < 20; i++) {
        garbage(server, i, "X-Forwarded-For", "203.0.113.9");
      }
      assertEquals(5, server.verifications.get());
      assertError(garbage(server, 99, "X-Forwarded-For", "203.0.113.10"), 401, null);
      assertEquals(200, server.get("valid", PATIENT, "X-Forwarded-For", "203.0.113.11")
          .statusCode());
      assertEquals(7, server.verifications.get()); // 5 before the refusals, then one each
    }
  }

  @Test
  void an_untrusted_peer_cannot_escape_its_bucket_with_forwarded_headers() {
    try (LimitServer server = shield()) {
      for (int i = 0; i < 20; i++) {
        String spoofed = "198.51.100." + i;
        garbage(server, i, "X-Forwarded-For", spoofed, "Forwarded", "for=" + spoofed);
      }
      assertEquals(5, server.verifications.get());
    }
  }

  @Test
  void an_error_dispatch_is_not_counted_a_second_time() {
    try (LimitServer server = shield("fhirguard.auth.public-paths", "/*")) {
      for (int i = 0; i < 5; i++) {
        assertError(server.get(null, "/nowhere/" + i), 404, null);
      }
      assertError(server.get(null, "/nowhere/5"), 429, "ADDRESS_RATE_LIMITED");
    }
  }

  @Test
  void with_both_limits_an_admitted_request_shows_the_clients_standing() {
    try (LimitServer server = shield("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3")) {
      HttpResponse<String> response = server.get("valid", PATIENT);
      assertEquals(200, response.statusCode());
      assertEquals("3", header(response, "X-RateLimit-Limit"));
      assertEquals("2", header(response, "X-RateLimit-Remaining"));
    }
  }

  @Test
  void with_both_limits_the_address_standing_is_sent_only_with_its_own_refusal() {
    try (LimitServer server = shield("fhirguard.rate-limit.enabled", "true",
        "fhirguard.rate-limit.capacity", "3")) {
      HttpResponse<String> refusedByAuthentication = garbage(server, 0);
      assertError(refusedByAuthentication, 401, "TOKEN_SIGNATURE_INVALID");
      assertTrue(refusedByAuthentication.headers().firstValue("X-RateLimit-Limit").isEmpty());
      for (int i = 1; i < 5; i++) {
        garbage(server, i);
      }
      HttpResponse<String> refusedByAddress = garbage(server, 5);
      assertError(refusedByAddress, 429, "ADDRESS_RATE_LIMITED");
      assertEquals("5", header(refusedByAddress, "X-RateLimit-Limit"));
      assertEquals("0", header(refusedByAddress, "X-RateLimit-Remaining"));
    }
  }

  @Test
  void with_the_address_limit_alone_every_response_shows_the_address_standing() {
    try (LimitServer server = shield()) {
      HttpResponse<String> refused = garbage(server, 0);
      assertError(refused, 401, "TOKEN_SIGNATURE_INVALID");
      assertEquals("5", header(refused, "X-RateLimit-Limit"));
      assertEquals("4", header(refused, "X-RateLimit-Remaining"));
    }
  }

  @Test
  void addresses_of_one_ipv6_slash64_share_a_bucket_and_the_next_network_has_its_own() {
    try (LimitServer server = LimitServer.withClients(
        "fhirguard.client-address.trusted-proxies", "127.0.0.1",
        "fhirguard.address-limit.enabled", "true", "fhirguard.address-limit.capacity", "3")) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(200, server.get("valid", PATIENT,
            "X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i)).statusCode());
      }
      assertError(server.get("valid", PATIENT, "X-Forwarded-For", "2001:db8:1:2:ffff::4"),
          429, "ADDRESS_RATE_LIMITED");
      assertEquals(200, server.get("valid", PATIENT,
          "X-Forwarded-For", "2001:db8:1:3::1").statusCode());
    }
  }
}
