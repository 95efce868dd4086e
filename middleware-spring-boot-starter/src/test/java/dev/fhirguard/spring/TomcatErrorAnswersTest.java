package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.spring.testing.Raw;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

/**
 * {@link ErrorAnswersContract} on Boot's default container, embedded Tomcat, plus the requests
 * Tomcat refuses before any filter or error page sees them.
 */
class TomcatErrorAnswersTest extends ErrorAnswersContract {

  @Test
  void the_container_is_tomcat() {
    assertEquals(TomcatWebServer.class,
        ((WebServerApplicationContext) app).getWebServer().getClass());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Patient/%zz", "/fhir/Patient/a|b", "/fhir/../../etc/passwd"})
  void a_request_uri_tomcat_refuses_is_a_400_outcome(String target) {
    Raw.Response response = Raw.exchange(port, ("GET " + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void headers_larger_than_tomcat_accepts_are_a_400_outcome() {
    // Tomcat answers 400, not 431, for a header block over server.max-http-request-header-size.
    assertOutcome(Raw.send(port, "GET", "/fhir/Patient/1", null,
        "X-Filler", "x".repeat(64 * 1024)), 400, "INVALID_REQUEST");
  }

  @Test
  void a_malformed_header_line_is_a_400_outcome() {
    Raw.Response response = Raw.exchange(port,
        "GET /fhir/Patient/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }
}
